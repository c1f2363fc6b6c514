using Microsoft.Extensions.Time.Testing;
using OmniChannel.Core.Stores;
using OmniChannel.Simulation.Replay;
using OmniChannel.Simulation.Tests.Fakes;

namespace OmniChannel.Simulation.Tests.Replay;

public sealed class ReplayCommandTests
{
    [Theory]
    [InlineData("--batch", "--batch", "0")]
    [InlineData("--batch", "--batch=501")]
    [InlineData("--concurrency", "--concurrency", "many")]
    [InlineData("--customers", "--customers", "-3")]
    [InlineData("--seed", "--seed", "1.5")]
    [InlineData("--rate", "--rate", "-1")]
    [InlineData("--max-events", "--max-events", "0")]
    [InlineData("--url", "--url", "localhost:7071/api")]
    [InlineData("--start", "--start", "yesterday")]
    [InlineData("--start", "--start", "11/25/2026")]
    [InlineData("--api-key", "--api-key", "")]
    [InlineData("--seed", "--seed")]
    [InlineData("--frobnicate", "--frobnicate", "1")]
    [InlineData("fast", "fast")]
    public async Task RunAsync_BadArgument_ReturnsTwoAndNamesTheArgument(string named, params string[] args)
    {
        using var output = new StringWriter();

        var exitCode = await ReplayCommand.RunAsync(args, output, CancellationToken.None);

        Assert.Equal(ReplayCommand.BadArguments, exitCode);
        Assert.Equal(2, exitCode);
        Assert.Contains(named, output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task RunAsync_Help_PrintsUsageAndReturnsZero(string help)
    {
        using var output = new StringWriter();

        var exitCode = await ReplayCommand.RunAsync([help], output, CancellationToken.None);

        Assert.Equal(0, exitCode);
        Assert.Contains("Usage:", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("simulate [options]", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("--concurrency", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_AllAccepted_PrintsSummaryAndReturnsZero()
    {
        await using var server = await FakeEventsServer.StartAsync();
        using var output = new StringWriter();

        var exitCode = await ReplayCommand.RunAsync(
            ["--url", server.BaseUrl.AbsoluteUri, "--customers", "10", "--start", "2025-03-01", "--max-events", "30", "--batch", "10", "--api-key", "k", "--live", "off"],
            output, CancellationToken.None);

        Assert.Equal(0, exitCode);
        Assert.Equal(30, server.ReceivedIds.Count);
        Assert.All(server.Requests, request => Assert.Equal("k", request.ApiKey));
        var text = output.ToString();
        Assert.Contains("Replaying 30 events", text, StringComparison.Ordinal);
        Assert.Contains("accepted", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\r', text);
    }

    [Fact]
    public async Task RunAsync_Rejected_ReturnsOne()
    {
        await using var server = await FakeEventsServer.StartAsync();
        server.Respond = (_, response) => FakeEventsServer.InvalidAsync(response);
        using var output = new StringWriter();

        var exitCode = await ReplayCommand.RunAsync(
            ["--url", server.BaseUrl.AbsoluteUri, "--customers", "10", "--start", "2025-03-01T00:00:00Z", "--max-events", "10"],
            output, CancellationToken.None);

        Assert.Equal(1, exitCode);
        Assert.Contains("invalid-events", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SameSeed_SendsSameEventIds()
    {
        await using var server = await FakeEventsServer.StartAsync();
        string[] Args(int seed) =>
            ["--url", server.BaseUrl.AbsoluteUri, "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--customers", "15", "--start", "2025-03-01", "--max-events", "60", "--concurrency", "1", "--live", "off"];

        await ReplayCommand.RunAsync(Args(7), TextWriter.Null, CancellationToken.None);
        var first = server.ReceivedIds.ToList();
        await ReplayCommand.RunAsync(Args(7), TextWriter.Null, CancellationToken.None);
        var second = server.ReceivedIds.Skip(60).ToList();
        await ReplayCommand.RunAsync(Args(8), TextWriter.Null, CancellationToken.None);
        var other = server.ReceivedIds.Skip(120).ToList();

        Assert.Equal(60, first.Count);
        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public async Task RunAsync_DayInTheFuture_WarnsThatEventsWillBeRejected()
    {
        await using var server = await FakeEventsServer.StartAsync();
        using var output = new StringWriter();
        var nextYear = DateTimeOffset.UtcNow.AddYears(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        await ReplayCommand.RunAsync(["--url", server.BaseUrl.AbsoluteUri, "--customers", "5", "--start", nextYear, "--max-events", "5", "--live", "off"], output, CancellationToken.None);

        Assert.Contains("warning: 5 of 5 events lie more than 5 minutes in the future", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NoStartWhileYesterdaysLateSessionsStillRun_ReplaysTheDayBefore_AndSendsNothingFromTheFuture()
    {
        await using var server = await FakeEventsServer.StartAsync();
        using var output = new StringWriter();
        var today = new DateTimeOffset(2026, 12, 8, 0, 0, 0, TimeSpan.Zero);
        var yesterdaysLast = DayFrom(today.AddDays(-1)).Generate().Max(CloudEventJson.Time);
        Assert.True(yesterdaysLast > today.AddMinutes(10), $"the day's late sessions end at {yesterdaysLast:O}, too early for this test");
        // Six minutes before yesterday's last event: beyond the contract's five minutes of clock skew.
        var now = yesterdaysLast.AddMinutes(-6);

        var exitCode = await ReplayCommand.RunAsync(
            ["--url", server.BaseUrl.AbsoluteUri, "--customers", "200", "--live", "off"], output, new FakeTimeProvider(now), CancellationToken.None);

        Assert.Equal(ReplayCommand.Success, exitCode);
        var text = output.ToString();
        Assert.Contains("replaying the day before", text, StringComparison.Ordinal);
        Assert.Contains("day from 2026-12-06 00:00Z", text, StringComparison.Ordinal);
        Assert.DoesNotContain("warning:", text, StringComparison.Ordinal);
        var times = server.Requests.SelectMany(request => request.Times).ToList();
        Assert.Equal(DayFrom(today.AddDays(-2)).Generate().Count(), times.Count);
        Assert.All(times, time => Assert.InRange(time, today.AddDays(-2), now));
    }

    [Fact]
    public async Task RunAsync_NoStartOnceYesterdayIsOver_ReplaysYesterday()
    {
        await using var server = await FakeEventsServer.StartAsync();
        using var output = new StringWriter();
        var noon = new DateTimeOffset(2026, 12, 8, 12, 0, 0, TimeSpan.Zero);

        var exitCode = await ReplayCommand.RunAsync(
            ["--url", server.BaseUrl.AbsoluteUri, "--customers", "200", "--max-events", "50", "--live", "off"], output, new FakeTimeProvider(noon), CancellationToken.None);

        Assert.Equal(ReplayCommand.Success, exitCode);
        Assert.Contains("day from 2026-12-07 00:00Z", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("the day before", output.ToString(), StringComparison.Ordinal);
        Assert.All(server.Requests.SelectMany(request => request.Times), time => Assert.Equal(new DateOnly(2026, 12, 7), DateOnly.FromDateTime(time.UtcDateTime)));
    }

    private static OmniDaySimulator DayFrom(DateTimeOffset start) =>
        new(new SimulationOptions(1, 200, StoreSeed.Generate(), start) { StockBeforeSelling = true });
}
