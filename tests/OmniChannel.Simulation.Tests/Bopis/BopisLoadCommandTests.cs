using OmniChannel.Simulation.Bopis;

namespace OmniChannel.Simulation.Tests.Bopis;

public sealed class BopisLoadCommandTests
{
    [Theory]
    [InlineData("--orders", "--orders", "0")]
    [InlineData("--orders", "--orders=many")]
    [InlineData("--orders", "--orders", "1000001")]
    [InlineData("--concurrency", "--concurrency", "0")]
    [InlineData("--concurrency", "--concurrency=1001")]
    [InlineData("--store", "--store", "00 01")]
    [InlineData("--store", "--store", "../0001")]
    [InlineData("--url", "--url", "localhost:7071")]
    [InlineData("--url", "--url", "ftp://localhost")]
    [InlineData("--api-key", "--api-key", " ")]
    [InlineData("--poll-ms", "--poll-ms", "5")]
    [InlineData("--poll-ms", "--poll-ms=fast")]
    [InlineData("--orders", "--orders")]
    [InlineData("--customers", "--customers", "5")]
    [InlineData("fast", "fast")]
    public async Task RunAsync_BadArgument_ReturnsTwoAndNamesTheArgument(string named, params string[] args)
    {
        using var output = new StringWriter();

        var exitCode = await BopisLoadCommand.RunAsync(args, output, CancellationToken.None);

        Assert.Equal(BopisLoadCommand.BadArguments, exitCode);
        Assert.Equal(2, exitCode);
        Assert.Contains(named, output.ToString(), StringComparison.Ordinal);
        Assert.Contains("simulate-bopis --help", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task RunAsync_Help_PrintsUsageAndReturnsZero(string help)
    {
        using var output = new StringWriter();

        var exitCode = await BopisLoadCommand.RunAsync([help], output, CancellationToken.None);

        Assert.Equal(0, exitCode);
        var text = output.ToString();
        Assert.Contains("Usage: simulate-bopis", text, StringComparison.Ordinal);
        foreach (var option in new[] { "--url", "--orders", "--concurrency", "--store", "--poll-ms", "--api-key" })
        {
            Assert.Contains(option, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RunAsync_EveryOrderCompletes_PrintsTheReportAndReturnsZero()
    {
        await using var server = await FakeBopisServer.StartAsync();
        using var output = new StringWriter();

        var exitCode = await BopisLoadCommand.RunAsync(
            ["--url", server.BaseUrl.AbsoluteUri, "--orders", "8", "--concurrency=3", "--store", "0002", "--poll-ms", "20", "--api-key", "k"],
            output, Faster, CancellationToken.None);

        Assert.Equal(BopisLoadCommand.Success, exitCode);
        Assert.Equal(8, server.Calls.Count);
        Assert.All(server.Calls.Values, sequence => Assert.Equal(["place", "picked", "collected"], sequence));
        Assert.All(server.ApiKeys, key => Assert.Equal("k", key));
        var text = output.ToString();
        Assert.Contains("BOPIS load finished", text, StringComparison.Ordinal);
        Assert.Contains("completed", text, StringComparison.Ordinal);
        Assert.Contains("place->ready", text, StringComparison.Ordinal);
        Assert.Contains("place->collected", text, StringComparison.Ordinal);
        Assert.Contains("orders/s reached ready", text, StringComparison.Ordinal);
        Assert.Contains("(all completed)", text, StringComparison.Ordinal);
        Assert.Contains(": OK", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SomeOrderFails_ReturnsOne()
    {
        await using var server = await FakeBopisServer.StartAsync();
        server.FateOf = id => id.EndsWith("000002", StringComparison.Ordinal) ? FakeOrderFate.PickRefused : FakeOrderFate.Normal;
        using var output = new StringWriter();

        var exitCode = await BopisLoadCommand.RunAsync(["--url", server.BaseUrl.AbsoluteUri, "--orders", "4"], output, Faster, CancellationToken.None);

        Assert.Equal(BopisLoadCommand.SomeOrdersFailed, exitCode);
        Assert.Contains("at picked", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_StoreCannotBeStocked_ReturnsOne()
    {
        await using var server = await FakeBopisServer.StartAsync();
        using var output = new StringWriter();

        var exitCode = await BopisLoadCommand.RunAsync(["--url", server.BaseUrl.AbsoluteUri, "--store", "0404"], output, Faster, CancellationToken.None);

        Assert.Equal(1, exitCode);
        Assert.Contains("stocking failed", output.ToString(), StringComparison.Ordinal);
    }

    private static BopisLoadOptions Faster(BopisLoadOptions options) => options with
    {
        PollInterval = TimeSpan.FromMilliseconds(5),
        StockTimeout = TimeSpan.FromSeconds(1),
        RetryDelay = TimeSpan.FromMilliseconds(5),
    };
}
