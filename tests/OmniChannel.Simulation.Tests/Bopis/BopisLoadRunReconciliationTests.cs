using System.Text.Json.Nodes;
using OmniChannel.Simulation.Bopis;

namespace OmniChannel.Simulation.Tests.Bopis;

/// <summary>The unpicked, short and no-show outcomes of <see cref="BopisLoadRun"/>, and its reconciliation of states, stock and refunds.</summary>
public sealed class BopisLoadRunReconciliationTests
{
    // 60 orders at 10 % each: 6 unpicked, 6 short (2 units), 6 no-show, 42 collected; 66 units stocked, 48 handed over
    // and 6 found missing at the pick.
    private const int Orders = 60;

    [Fact]
    public async Task RunAsync_TenPercentEachOutcome_DrivesEachOrderByItsOutcomeAndEverythingReconciles()
    {
        await using var server = await FakeBopisServer.StartAsync();
        using var client = new HttpClient();
        var run = new BopisLoadRun(client, Mixed(server) with { RunTag = "mix" });

        var summary = await run.RunAsync();

        var calls = server.Calls;
        var ordered = server.OrderedUnits;
        var picks = server.PickBodies;
        foreach (var number in Enumerable.Range(1, Orders))
        {
            var id = run.OrderId(number);
            var outcome = run.OutcomeOf(number);
            Assert.Equal(outcome == BopisOutcome.Short ? 2 : 1, ordered[id]);
            string[] expectedCalls = outcome switch
            {
                BopisOutcome.Unpicked => ["place"],
                BopisOutcome.NoShow => ["place", "picked"],
                _ => ["place", "picked", "collected"],
            };
            Assert.Equal(expectedCalls, calls[id]);
            if (outcome == BopisOutcome.Short)
            {
                var line = Assert.Single(JsonNode.Parse(picks[id])!["lines"]!.AsArray());
                Assert.Equal(run.Sku, (string?)line!["sku"]);
                Assert.Equal(1, (int)line["picked"]!);
                Assert.Equal([($"{id}:short", 12.34m)], server.RefundsOf(id));
            }
            else if (outcome is BopisOutcome.Unpicked or BopisOutcome.NoShow)
            {
                Assert.Equal([($"{id}:refund", 12.34m)], server.RefundsOf(id));
            }
            else
            {
                Assert.Equal(string.Empty, picks[id]);
                Assert.Empty(server.RefundsOf(id));
            }
        }

        Assert.Equal(
            [new(BopisOutcome.Collected, 42, 42), new(BopisOutcome.Short, 6, 6), new(BopisOutcome.Unpicked, 6, 6), new(BopisOutcome.NoShow, 6, 6)],
            summary.Outcomes);
        Assert.Equal(Orders, summary.Completed);
        Assert.Equal(48, summary.PlaceToCollected.Count);
        Assert.Equal(66, summary.UnitsOrdered);
        Assert.Equal(66, (int)server.Events.Single()["data"]!["delta"]!);
        Assert.Equal(new BopisStockCheck(66, 12, 0, 12, 54), summary.Stock);
        var refunds = Assert.IsType<BopisRefundCheck>(summary.Refunds);
        Assert.Equal(Orders, refunds.Orders);
        Assert.Equal(18, refunds.Refunds);
        Assert.Equal(222.12m, refunds.Expected);
        Assert.Equal(222.12m, refunds.Received);
        Assert.True(refunds.Passed);
        Assert.True(summary.Succeeded);
        var report = summary.ToString();
        Assert.Contains("reconciliation", report, StringComparison.Ordinal);
        Assert.DoesNotContain("MISMATCH", report, StringComparison.Ordinal);
        Assert.Contains("received 222.12, expected 222.12", report, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, false, true)]
    [InlineData(true, true, true)]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    public async Task RunAsync_ShortUnitsPolicy_StockExpectationFollowsIt(bool backboneBooksMissing, bool runExpectsMissing, bool reconciles)
    {
        await using var server = await FakeBopisServer.StartAsync();
        server.ShortUnitsLeaveOnHand = backboneBooksMissing;
        using var client = new HttpClient();
        var run = new BopisLoadRun(client, Mixed(server) with { ShortUnitsLeaveOnHand = runExpectsMissing, StockTimeout = TimeSpan.FromSeconds(2) });

        var summary = await run.RunAsync();

        var stock = Assert.IsType<BopisStockCheck>(summary.Stock);
        Assert.Equal(backboneBooksMissing ? 54 : 48, stock.Decrease);
        Assert.Equal(runExpectsMissing ? 54 : 48, stock.ExpectedDecrease);
        Assert.Equal(reconciles, stock.Passed);
        Assert.True(summary.AllEndedAsPlanned);
        Assert.Equal(reconciles, summary.Succeeded);
    }

    [Fact]
    public async Task RunAsync_BackboneRefundsTwice_ReportsTheRefundIdTwiceAndTheOrderOff()
    {
        await using var server = await FakeBopisServer.StartAsync();
        using var client = new HttpClient();
        var run = new BopisLoadRun(client, Mixed(server) with { StockTimeout = TimeSpan.FromSeconds(2) });
        var twice = run.OrderId(First(run, BopisOutcome.Unpicked));
        server.FateOf = id => id == twice ? FakeOrderFate.RefundsTwice : FakeOrderFate.Normal;

        var summary = await run.RunAsync();

        Assert.True(summary.AllEndedAsPlanned);
        Assert.True(summary.Stock!.Passed);
        var refunds = Assert.IsType<BopisRefundCheck>(summary.Refunds);
        Assert.Equal([$"{twice}:refund x2"], refunds.DuplicateRefundIds);
        var off = Assert.Single(refunds.Mismatches);
        Assert.StartsWith(twice, off, StringComparison.Ordinal);
        Assert.Contains("refunded 24.68, expected 12.34", off, StringComparison.Ordinal);
        Assert.Equal(refunds.Expected + 12.34m, refunds.Received);
        Assert.False(refunds.Passed);
        Assert.False(summary.Succeeded);
        var report = summary.ToString();
        Assert.Contains($"refund id twice: {twice}:refund x2", report, StringComparison.Ordinal);
        Assert.Contains("MISMATCH", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ShortRefundACentOff_ReportsTheOrderToTheCent()
    {
        await using var server = await FakeBopisServer.StartAsync();
        using var client = new HttpClient();
        var run = new BopisLoadRun(client, Mixed(server) with { StockTimeout = TimeSpan.FromSeconds(2) });
        var centShort = run.OrderId(First(run, BopisOutcome.Short));
        server.FateOf = id => id == centShort ? FakeOrderFate.RefundsCentShort : FakeOrderFate.Normal;

        var summary = await run.RunAsync();

        var refunds = Assert.IsType<BopisRefundCheck>(summary.Refunds);
        Assert.Empty(refunds.DuplicateRefundIds);
        var off = Assert.Single(refunds.Mismatches);
        Assert.Contains($"{centShort} (short): refunded 12.33, expected 12.34 (refunds: {centShort}:short 12.33)", off, StringComparison.Ordinal);
        Assert.Equal(refunds.Expected - 0.01m, refunds.Received);
        Assert.False(summary.Succeeded);
    }

    [Fact]
    public async Task RunAsync_ExpiryKeepsTheHold_StockDoesNotReconcile()
    {
        await using var server = await FakeBopisServer.StartAsync();
        using var client = new HttpClient();
        var run = new BopisLoadRun(client, Mixed(server) with { StockTimeout = TimeSpan.FromSeconds(2) });
        var kept = run.OrderId(First(run, BopisOutcome.NoShow));
        server.FateOf = id => id == kept ? FakeOrderFate.KeepsHold : FakeOrderFate.Normal;

        var summary = await run.RunAsync();

        Assert.True(summary.AllEndedAsPlanned);
        Assert.True(summary.Refunds!.Passed);
        var stock = Assert.IsType<BopisStockCheck>(summary.Stock);
        Assert.Equal(stock.ExpectedDecrease, stock.Decrease);
        Assert.Equal(1, stock.FinalReserved);
        Assert.Equal(stock.FinalOnHand - 1, stock.FinalAvailable);
        Assert.False(stock.Passed);
        Assert.False(summary.Succeeded);
    }

    [Fact]
    public async Task RunAsync_BackboneNeverCancelsAnUnpickedOrder_FailsItAtCancelledOnceItsTimeIsUp()
    {
        await using var server = await FakeBopisServer.StartAsync();
        server.TimerReads = int.MaxValue;
        using var client = new HttpClient();
        var run = new BopisLoadRun(client, Options(server, orders: 10) with { UnpickedPercent = 20m, OrderTimeout = TimeSpan.FromSeconds(2) });

        var summary = await run.RunAsync();

        Assert.Equal(8, summary.Completed);
        Assert.Equal(new Dictionary<string, int> { ["cancelled"] = 2 }, summary.FailuresByStep);
        Assert.All(summary.Failures, failure => Assert.Contains("not 'cancelled' within 2 s", failure, StringComparison.Ordinal));
        Assert.Equal(new BopisOutcomeCount(BopisOutcome.Unpicked, 2, 0), summary.Outcomes.Single(outcome => outcome.Outcome == BopisOutcome.Unpicked));

        // The two orders still hold their units: the stock cannot reconcile either.
        Assert.Equal(2, summary.Stock!.FinalReserved);
        Assert.False(summary.Succeeded);
        Assert.Contains("0 of       2 ended 'cancelled': MISMATCH", summary.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_BackboneWithoutTheMessagesRoute_ReportsTheRefundsUnreadable_UnlessTurnedOff()
    {
        await using var server = await FakeBopisServer.StartAsync();
        server.HasMessagesRoute = false;
        using var client = new HttpClient();

        var checkedRun = await new BopisLoadRun(client, Mixed(server)).RunAsync();
        var uncheckedRun = await new BopisLoadRun(client, Mixed(server) with { CheckRefunds = false }).RunAsync();

        Assert.Contains("404", checkedRun.Refunds!.Error, StringComparison.Ordinal);
        Assert.False(checkedRun.Succeeded);
        Assert.Contains("refunds    could not be read", checkedRun.ToString(), StringComparison.Ordinal);
        Assert.Null(uncheckedRun.Refunds);
        Assert.True(uncheckedRun.Succeeded);
        Assert.Contains("refunds    not checked", uncheckedRun.ToString(), StringComparison.Ordinal);
    }

    private static BopisLoadOptions Options(FakeBopisServer server, int orders) => BopisLoadRunTests.Options(server, orders, concurrency: 12);

    private static BopisLoadOptions Mixed(FakeBopisServer server) =>
        Options(server, Orders) with { UnpickedPercent = 10m, ShortPercent = 10m, NoShowPercent = 10m };

    private static int First(BopisLoadRun run, BopisOutcome outcome) => Enumerable.Range(1, Orders).First(number => run.OutcomeOf(number) == outcome);
}
