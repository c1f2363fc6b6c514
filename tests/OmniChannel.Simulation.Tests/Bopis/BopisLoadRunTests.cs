using System.Globalization;
using OmniChannel.Simulation.Bopis;

namespace OmniChannel.Simulation.Tests.Bopis;

public sealed class BopisLoadRunTests
{
    private static readonly string[] HappyPath = ["place", "picked", "collected"];

    [Fact]
    public async Task RunAsync_AllOrdersGoThrough_DrivesEachOrderPlacePickedCollectedExactlyOnce()
    {
        await using var server = await FakeBopisServer.StartAsync();
        using var client = new HttpClient();
        var run = new BopisLoadRun(client, Options(server, orders: 30, concurrency: 5) with { RunTag = "happy" });

        var summary = await run.RunAsync();

        var expectedIds = Enumerable.Range(1, 30).Select(run.OrderId).ToList();
        var calls = server.Calls;
        Assert.Equal(expectedIds.Order(StringComparer.Ordinal), calls.Keys.Order(StringComparer.Ordinal));
        Assert.All(calls.Values, sequence => Assert.Equal(HappyPath, sequence));
        Assert.All(server.OrderSkus, sku => Assert.Equal(run.Sku, sku));
        Assert.Equal(30, summary.Orders);
        Assert.Equal(30, summary.Placed);
        Assert.Equal(30, summary.Ready);
        Assert.Equal(30, summary.Completed);
        Assert.Equal(0, summary.Failed);
        Assert.Equal(0, summary.NotStarted);
        Assert.Empty(summary.FailuresByStep);
        Assert.Empty(summary.Failures);
        Assert.Null(summary.StockingError);
        Assert.Equal(30, summary.PlaceToReady.Count);
        Assert.Equal(30, summary.PlaceToCollected.Count);
        Assert.True(summary.Succeeded);
        Assert.False(summary.Cancelled);
        Assert.Equal(run.Sku, summary.Sku);
        Assert.Equal("happy", summary.RunTag);

        // Each order has one request on the wire at a time, and at most 5 orders are in flight.
        Assert.InRange(server.MaxInFlight, 1, 5);
    }

    [Fact]
    public async Task RunAsync_StocksTheStoreOnceAndChecksTheStockAtTheEnd()
    {
        await using var server = await FakeBopisServer.StartAsync();
        using var client = new HttpClient();
        var run = new BopisLoadRun(client, Options(server, orders: 12, concurrency: 4) with { StoreId = "0002" });

        var summary = await run.RunAsync();

        var stockEvent = Assert.Single(server.Events);
        Assert.Equal("omni.inventory.adjusted", (string?)stockEvent["type"]);
        Assert.Equal(run.StockEventId, (string?)stockEvent["id"]);
        Assert.Equal(12, (int)stockEvent["data"]!["delta"]!);
        Assert.Equal(run.Sku, (string?)stockEvent["data"]!["sku"]);
        Assert.Equal("0002", (string?)stockEvent["data"]!["storeid"]);
        Assert.True(DateTimeOffset.Parse((string)stockEvent["time"]!, CultureInfo.InvariantCulture) < DateTimeOffset.UtcNow);
        var stock = Assert.IsType<BopisStockCheck>(summary.Stock);
        Assert.Equal(12, stock.StockedOnHand);
        Assert.Equal(0, stock.FinalOnHand);
        Assert.Equal(0, stock.FinalReserved);
        Assert.Equal(12, stock.ExpectedDecrease);
        Assert.True(stock.Passed);
        Assert.Equal((0, 0), server.StockOf("0002", run.Sku));
    }

    // The order timeout is what makes a stuck order fail; 5 s leaves the healthy orders room on a busy CI machine
    // (1 s made a healthy order time out now and then while other test assemblies ran alongside).
    [Fact]
    public async Task RunAsync_SomeOrdersFail_CountsThemByStepAndNeverCollectsThem()
    {
        await using var server = await FakeBopisServer.StartAsync();
        using var client = new HttpClient();
        var run = new BopisLoadRun(client, Options(server, orders: 20, concurrency: 6) with { RunTag = "fails", OrderTimeout = TimeSpan.FromSeconds(5) });
        var rejected = run.OrderId(3);
        var pickRefused = run.OrderId(7);
        var neverReady = run.OrderId(11);
        server.FateOf = id => id == rejected ? FakeOrderFate.Rejected
            : id == pickRefused ? FakeOrderFate.PickRefused
            : id == neverReady ? FakeOrderFate.NeverReady
            : FakeOrderFate.Normal;

        var summary = await run.RunAsync();

        var calls = server.Calls;
        Assert.Equal(["place"], calls[rejected]);
        Assert.Equal(["place"], calls[pickRefused]);
        Assert.Equal(["place", "picked"], calls[neverReady]);
        Assert.All(calls.Where(order => order.Key != rejected && order.Key != pickRefused && order.Key != neverReady),
            order => Assert.Equal(HappyPath, order.Value));
        Assert.Equal(20, summary.Placed);
        Assert.Equal(17, summary.Ready);
        Assert.Equal(17, summary.Completed);
        Assert.Equal(3, summary.Failed);
        Assert.Equal(new Dictionary<string, int> { ["reserved"] = 1, ["picked"] = 1, ["ready"] = 1 }, summary.FailuresByStep);
        Assert.Equal(3, summary.Failures.Count);
        Assert.Contains(summary.Failures, failure => failure.StartsWith(rejected, StringComparison.Ordinal) && failure.Contains("rejected", StringComparison.Ordinal));
        Assert.Contains(summary.Failures, failure => failure.StartsWith(pickRefused, StringComparison.Ordinal) && failure.Contains("409", StringComparison.Ordinal));
        Assert.Contains(summary.Failures, failure => failure.StartsWith(neverReady, StringComparison.Ordinal) && failure.Contains("not 'ready'", StringComparison.Ordinal));
        Assert.False(summary.Succeeded);
        var stock = Assert.IsType<BopisStockCheck>(summary.Stock);
        Assert.Equal(17, stock.ExpectedDecrease);
        Assert.Equal(17, stock.Decrease);
        Assert.Equal(2, stock.FinalReserved);
        Assert.False(stock.Passed);
        var report = summary.ToString();
        Assert.Contains("failed", report, StringComparison.Ordinal);
        Assert.Contains("MISMATCH", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CollectedButWorkflowNeverCompletes_FailsAtCompletedAndExpectsTheUnitGone()
    {
        await using var server = await FakeBopisServer.StartAsync();
        using var client = new HttpClient();
        var run = new BopisLoadRun(client, Options(server, orders: 6, concurrency: 3) with { OrderTimeout = TimeSpan.FromSeconds(5), KeptFailures = 0 });
        var stuck = run.OrderId(4);
        server.FateOf = id => id == stuck ? FakeOrderFate.NeverCompletes : FakeOrderFate.Normal;

        var summary = await run.RunAsync();

        Assert.All(server.Calls.Values, sequence => Assert.Equal(HappyPath, sequence));
        Assert.Equal(6, summary.Ready);
        Assert.Equal(5, summary.Completed);
        Assert.Equal(1, summary.Failed);
        Assert.Equal(new Dictionary<string, int> { ["completed"] = 1 }, summary.FailuresByStep);
        Assert.Empty(summary.Failures);
        var stock = Assert.IsType<BopisStockCheck>(summary.Stock);
        Assert.Equal(6, stock.ExpectedDecrease);
        Assert.True(stock.Passed);
        Assert.False(summary.Succeeded);
    }

    [Fact]
    public async Task RunAsync_FailuresAtSeveralSteps_DescribesTheFirstOfEachStep()
    {
        await using var server = await FakeBopisServer.StartAsync();
        using var client = new HttpClient();
        var run = new BopisLoadRun(client, Options(server, orders: 9, concurrency: 9) with { OrderTimeout = TimeSpan.FromSeconds(5), KeptFailures = 1 });
        server.FateOf = id => id == run.OrderId(1) || id == run.OrderId(2) ? FakeOrderFate.Rejected
            : id == run.OrderId(5) ? FakeOrderFate.PickRefused
            : id == run.OrderId(8) ? FakeOrderFate.NeverReady
            : FakeOrderFate.Normal;

        var summary = await run.RunAsync();

        Assert.Equal(4, summary.Failed);
        Assert.Equal(3, summary.Failures.Count);
        Assert.Single(summary.Failures, failure => failure.Contains(" at reserved: ", StringComparison.Ordinal));
        Assert.Single(summary.Failures, failure => failure.Contains(" at picked: ", StringComparison.Ordinal));
        Assert.Single(summary.Failures, failure => failure.Contains(" at ready: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_PlacementAnsweredServiceUnavailable_ResendsItAndPlacesEachOrderOnce()
    {
        await using var server = await FakeBopisServer.StartAsync();
        server.PlaceUnavailable = attempt => attempt % 2 == 1;
        using var client = new HttpClient();
        var run = new BopisLoadRun(client, Options(server, orders: 10, concurrency: 1));

        var summary = await run.RunAsync();

        Assert.Equal(10, summary.Completed);
        Assert.Equal(10, summary.Retries);
        Assert.All(server.Calls.Values, sequence => Assert.Equal(HappyPath, sequence));
        Assert.True(summary.Succeeded);
    }

    [Fact]
    public async Task RunAsync_TwoRuns_UseDifferentOrderIdsSkuAndStockEvent()
    {
        await using var server = await FakeBopisServer.StartAsync();
        using var client = new HttpClient();
        var first = new BopisLoadRun(client, Options(server, orders: 5, concurrency: 5));
        var second = new BopisLoadRun(client, Options(server, orders: 5, concurrency: 5));

        var summaries = new[] { await first.RunAsync(), await second.RunAsync() };

        Assert.NotEqual(first.RunTag, second.RunTag);
        Assert.NotEqual(first.Sku, second.Sku);
        Assert.Equal(10, server.Calls.Count);
        Assert.Equal(2, server.Events.Select(cloudEvent => (string?)cloudEvent["id"]).Distinct().Count());
        Assert.All(summaries, summary => Assert.True(summary.Succeeded));
    }

    [Fact]
    public async Task RunAsync_WithApiKey_SendsItOnEveryRequest()
    {
        await using var server = await FakeBopisServer.StartAsync();
        using var client = new HttpClient();
        var run = new BopisLoadRun(client, Options(server, orders: 3, concurrency: 2) with { ApiKey = "secret" });

        var summary = await run.RunAsync();

        Assert.True(summary.Succeeded);
        Assert.NotEmpty(server.ApiKeys);
        Assert.All(server.ApiKeys, key => Assert.Equal("secret", key));
    }

    [Fact]
    public async Task RunAsync_UnknownStore_ReportsStockingFailedAndPlacesNothing()
    {
        await using var server = await FakeBopisServer.StartAsync();
        using var client = new HttpClient();
        var run = new BopisLoadRun(client, Options(server, orders: 4, concurrency: 2) with { StoreId = "9999" });

        var summary = await run.RunAsync();

        Assert.NotNull(summary.StockingError);
        Assert.Contains("404", summary.StockingError, StringComparison.Ordinal);
        Assert.Equal(4, summary.NotStarted);
        Assert.Equal(0, summary.Placed);
        Assert.Equal(0, summary.Failed);
        Assert.Empty(server.Calls);
        Assert.Empty(server.Events);
        Assert.False(summary.Succeeded);
        Assert.Contains("stocking failed", summary.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CancelledBeforeStart_ReturnsASummaryWithoutOrders()
    {
        await using var server = await FakeBopisServer.StartAsync();
        using var client = new HttpClient();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var run = new BopisLoadRun(client, Options(server, orders: 4, concurrency: 2));

        var summary = await run.RunAsync(cancellationToken: cancelled.Token);

        Assert.True(summary.Cancelled);
        Assert.Equal(4, summary.NotStarted);
        Assert.Empty(server.Calls);
        Assert.False(summary.Succeeded);
    }

    [Fact]
    public async Task RunAsync_WithProgress_ReportsTheFinalState()
    {
        await using var server = await FakeBopisServer.StartAsync();
        using var client = new HttpClient();
        var reports = new List<BopisLoadProgress>();
        var run = new BopisLoadRun(client, Options(server, orders: 6, concurrency: 3) with { ProgressInterval = TimeSpan.FromMilliseconds(5) });

        await run.RunAsync(new SynchronousProgress(reports));

        var last = reports[^1];
        Assert.Equal(new BopisLoadProgress(6, 6, 6, 6, 0, last.Elapsed), last);
    }

    [Fact]
    public void Constructor_BadOptions_Throws()
    {
        using var client = new HttpClient();
        var options = new BopisLoadOptions(new Uri("http://127.0.0.1:1"));

        Assert.Throws<ArgumentOutOfRangeException>(() => new BopisLoadRun(client, options with { Orders = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BopisLoadRun(client, options with { Concurrency = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BopisLoadRun(client, options with { PollInterval = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => new BopisLoadRun(client, options with { StoreId = " " }));
        Assert.Throws<ArgumentException>(() => new BopisLoadRun(client, new BopisLoadOptions(new Uri("/relative", UriKind.Relative))));
    }

    internal static BopisLoadOptions Options(FakeBopisServer server, int orders, int concurrency) => new(server.BaseUrl)
    {
        Orders = orders,
        Concurrency = concurrency,
        PollInterval = TimeSpan.FromMilliseconds(5),
        StockTimeout = TimeSpan.FromSeconds(1),
        RetryDelay = TimeSpan.FromMilliseconds(5),
    };

    private sealed class SynchronousProgress(List<BopisLoadProgress> reports) : IProgress<BopisLoadProgress>
    {
        public void Report(BopisLoadProgress value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
