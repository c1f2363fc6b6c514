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
    [InlineData("--unpicked", "--unpicked", "101")]
    [InlineData("--short", "--short=-1")]
    [InlineData("--no-show", "--no-show", "five")]
    [InlineData("--unpicked", "--orders", "10", "--unpicked", "50", "--short", "50", "--no-show", "10")]
    [InlineData("--order-timeout", "--order-timeout", "0")]
    [InlineData("--short-units", "--short-units", "lost")]
    [InlineData("--refunds", "--refunds", "maybe")]
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
        Assert.Contains("Usage:", text, StringComparison.Ordinal);
        Assert.Contains("simulate-bopis [options]", text, StringComparison.Ordinal);
        foreach (var option in new[] { "--url", "--orders", "--concurrency", "--store", "--poll-ms", "--api-key", "--unpicked", "--short", "--no-show", "--order-timeout", "--short-units", "--refunds" })
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

    [Fact]
    public async Task RunAsync_FivePercentEachOutcome_PrintsTheReconciliationAndReturnsZero()
    {
        await using var server = await FakeBopisServer.StartAsync();
        using var output = new StringWriter();

        var exitCode = await BopisLoadCommand.RunAsync(
            ["--url", server.BaseUrl.AbsoluteUri, "--orders", "40", "--unpicked", "5", "--short", "5", "--no-show", "5", "--order-timeout", "60"],
            output, Faster, CancellationToken.None);

        Assert.Equal(BopisLoadCommand.Success, exitCode);
        var ordered = server.OrderedUnits;
        Assert.Equal(40, ordered.Count);
        Assert.Equal(2, ordered.Values.Count(units => units == 2));
        Assert.Equal(2, server.Calls.Values.Count(calls => calls.SequenceEqual(["place"])));
        Assert.Equal(2, server.Calls.Values.Count(calls => calls.SequenceEqual(["place", "picked"])));
        var text = output.ToString();
        Assert.Contains("(34 collected, 2 short, 2 unpicked, 2 no-show)", text, StringComparison.Ordinal);
        Assert.Contains("each within 60 s", text, StringComparison.Ordinal);
        Assert.Contains("reconciliation", text, StringComparison.Ordinal);
        Assert.Contains("2 of       2 ended 'cancelled': OK", text, StringComparison.Ordinal);
        Assert.Contains("2 of       2 ended 'expired': OK", text, StringComparison.Ordinal);
        Assert.Contains("on hand 42 -> 4 (down 38, expected 38: units handed over and short units booked missing)", text, StringComparison.Ordinal);
        Assert.Contains("received 74.04, expected 74.04", text, StringComparison.Ordinal);
        Assert.Contains("every order ended as planned; stock and refunds reconcile", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_RefundsDoNotReconcile_ReturnsThree()
    {
        await using var server = await FakeBopisServer.StartAsync();
        server.FateOf = _ => FakeOrderFate.RefundsTwice;
        using var output = new StringWriter();

        var exitCode = await BopisLoadCommand.RunAsync(
            ["--url", server.BaseUrl.AbsoluteUri, "--orders", "20", "--unpicked", "10"], output, Faster, CancellationToken.None);

        Assert.Equal(BopisLoadCommand.NotReconciled, exitCode);
        Assert.Equal(3, exitCode);
        Assert.Contains("refund id twice", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("the books do not reconcile", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ShortUnitsReleasedAndRefundsOff_ExpectsTheShortUnitsBackOnTheShelfAndReadsNoRefunds()
    {
        await using var server = await FakeBopisServer.StartAsync();
        server.ShortUnitsLeaveOnHand = false;
        server.HasMessagesRoute = false;
        using var output = new StringWriter();

        var exitCode = await BopisLoadCommand.RunAsync(
            ["--url", server.BaseUrl.AbsoluteUri, "--orders", "10", "--short", "30", "--short-units", "released", "--refunds", "off"], output, Faster, CancellationToken.None);

        Assert.Equal(BopisLoadCommand.Success, exitCode);
        var text = output.ToString();
        Assert.Contains("on hand 13 -> 3 (down 10, expected 10: units handed over)", text, StringComparison.Ordinal);
        Assert.Contains("refunds    not checked", text, StringComparison.Ordinal);
    }

    private static BopisLoadOptions Faster(BopisLoadOptions options) => options with
    {
        PollInterval = TimeSpan.FromMilliseconds(5),
        StockTimeout = TimeSpan.FromSeconds(1),
        RetryDelay = TimeSpan.FromMilliseconds(5),
    };
}
