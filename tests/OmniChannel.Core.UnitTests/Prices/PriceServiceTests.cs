using Moq;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Prices;
using OmniChannel.Core.Stores;
using OmniChannel.Core.UnitTests.Builders;
using OmniChannel.TestSupport.Fakes;
using static OmniChannel.Core.UnitTests.Prices.PriceTestData;

namespace OmniChannel.Core.UnitTests.Prices;

public sealed class PriceServiceTests
{
    private static readonly DateTimeOffset Boundary = new(2026, 12, 1, 6, 0, 0, TimeSpan.Zero);

    private readonly InMemoryPriceStore _prices = new();
    private readonly InMemoryDeliveryLedger _ledger = new();
    private readonly Mock<IWorkflowClient> _workflows = new();
    private readonly List<(string InstanceId, PriceFanOutInput Input)> _started = [];
    private readonly PriceFanOutOptions _options = new() { BatchSize = 50, Rounds = 2 };
    private readonly PriceService _service;

    public PriceServiceTests()
    {
        var stores = new Mock<IStoreDirectory>();
        stores.Setup(directory => directory.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync(Chain);
        stores.Setup(directory => directory.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => ById(id));
        _workflows.Setup(client => client.StartAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()))
            .Callback((string _, string instanceId, object input, CancellationToken _) => _started.Add((instanceId, (PriceFanOutInput)input)))
            .ReturnsAsync(true);
        _service = new PriceService(_prices, stores.Object, _ledger, _workflows.Object, _options);
    }

    [Fact]
    public async Task PriceAt_AcrossTheEffectiveBoundary_AnswersTheOldPriceBeforeAndTheNewOneFromThen()
    {
        await Submit(Change("old", 10m, Boundary.AddDays(-7)));
        await Submit(Change("new", 8m, Boundary));

        var before = await PriceAt(Boundary.AddTicks(-1));
        var at = await PriceAt(Boundary);
        var after = await PriceAt(Boundary.AddHours(1));

        Assert.Equal((10m, "old"), (before!.Price, before.ChangeId));
        Assert.Equal((8m, "new"), (at!.Price, at.ChangeId));
        Assert.Equal((8m, "new"), (after!.Price, after.ChangeId));
        Assert.Equal(Boundary, at.EffectiveAt);
    }

    [Fact]
    public async Task PriceAt_BeforeAnyChangeIsInForce_IsNull()
    {
        await Submit(Change("future", 8m, Boundary));

        Assert.Null(await PriceAt(Boundary.AddSeconds(-1)));
        Assert.Null(await PriceAt(Boundary, sku: "SKU-UNPRICED"));
    }

    [Fact]
    public async Task PriceAt_StorePriceAndChainPriceAtTheSameMoment_TheStoresOwnPriceWinsThereOnly()
    {
        await Submit(Change("store-0001", 9m, Boundary, PriceScope.ForStore("0001")));
        await Submit(Change("chain", 10m, Boundary, acceptedAt: TestClock.Now.AddMinutes(5)));

        var atTheStore = await PriceAt(Boundary, Manhattan);
        var atAnotherStore = await PriceAt(Boundary, Brooklyn);
        var online = await PriceAt(Boundary, store: null);

        Assert.Equal((9m, "store-0001", "store:0001"), (atTheStore!.Price, atTheStore.ChangeId, atTheStore.Scope));
        Assert.Equal("0001", atTheStore.StoreId);
        Assert.Equal((10m, "chain"), (atAnotherStore!.Price, atAnotherStore.ChangeId));
        Assert.Equal((10m, "chain"), (online!.Price, online.ChangeId));
    }

    [Fact]
    public async Task PriceAt_RegionPrice_AppliesInThatRegionsStoresButNotOnlineOrElsewhere()
    {
        await Submit(Change("chain", 10m, Boundary.AddDays(-1)));
        await Submit(Change("ny", 11m, Boundary, PriceScope.ForRegion("NY")));

        Assert.Equal("ny", (await PriceAt(Boundary, Brooklyn))!.ChangeId);
        Assert.Equal("chain", (await PriceAt(Boundary, Newark))!.ChangeId);
        Assert.Equal("chain", (await PriceAt(Boundary, store: null))!.ChangeId);
    }

    [Fact]
    public async Task PriceAt_LaterChainPrice_SupersedesAnOlderStorePrice()
    {
        await Submit(Change("store-0001", 9m, Boundary, PriceScope.ForStore("0001")));
        await Submit(Change("chain-later", 11m, Boundary.AddHours(1)));

        var between = await PriceAt(Boundary.AddMinutes(30), Manhattan);
        var afterwards = await PriceAt(Boundary.AddHours(1), Manhattan);

        Assert.Equal((9m, "store-0001"), (between!.Price, between.ChangeId));
        Assert.Equal((11m, "chain-later"), (afterwards!.Price, afterwards.ChangeId));
    }

    [Fact]
    public async Task PriceAt_TwoChangesOfTheSameScopeAndMoment_TheLaterAcceptedWins()
    {
        await Submit(Change("first", 10m, Boundary, acceptedAt: TestClock.Now));
        await Submit(Change("correction", 12m, Boundary, acceptedAt: TestClock.Now.AddMinutes(1)));

        Assert.Equal("correction", (await PriceAt(Boundary))!.ChangeId);
    }

    [Fact]
    public async Task Submit_NewChange_WritesItsRecordsAndStartsRunOneOfTheFanOut()
    {
        var outcome = await Submit(Change("c-1", 10m, Boundary, PriceScope.ForRegion("NY")));

        var accepted = Assert.IsType<SubmitOutcome.Accepted>(outcome);
        Assert.False(accepted.Repeated);
        Assert.Equal(PriceChangeStatus.Delivering, _prices.Get("c-1")!.Status);
        Assert.Equal("c-1", Assert.Single(_prices.Records("SKU-1")).ChangeId);
        var (instanceId, input) = Assert.Single(_started);
        Assert.Equal(PriceFanOut.InstanceIdFor("c-1", 1), instanceId);
        Assert.Equal(PriceFanOutInput.From("c-1", 1, _options), input);
        _workflows.Verify(client => client.StartAsync(PriceFanOut.OrchestrationName, "price-c-1", It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Submit_SameChangeAgain_IsAcceptedAsARepeatAndStartsTheSameInstance()
    {
        await Submit(Change("c-1", 10m, Boundary, acceptedAt: TestClock.Now));

        // A client retrying later: same content, a later arrival time.
        var repeat = await Submit(Change("c-1", 10m, Boundary, acceptedAt: TestClock.Now.AddMinutes(3)));

        var accepted = Assert.IsType<SubmitOutcome.Accepted>(repeat);
        Assert.True(accepted.Repeated);
        Assert.Equal(TestClock.Now, accepted.Change.AcceptedAt);
        Assert.Equal(["price-c-1", "price-c-1"], _started.Select(start => start.InstanceId));
        _workflows.Verify(client => client.StartAsync(PriceFanOut.OrchestrationName, "price-c-1", It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
        Assert.Equal(TestClock.Now, Assert.Single(_prices.Records("SKU-1")).AcceptedAt);
    }

    [Theory]
    [InlineData(PriceChangeStatus.Delivered)]
    [InlineData(PriceChangeStatus.PartiallyDelivered)]
    public async Task Submit_SameChangeAgainAfterItsFanOutFinished_StartsNoRunAgain_ThoughItsInstanceWasPurged(PriceChangeStatus finished)
    {
        await Finished("c-1", finished, ("web-catalogue", DeliveryState.Delivered));
        // Moq answers GetAsync with null: the engine no longer knows run 1's instance (completed, then purged).

        var repeat = await Submit(Change("c-1", 10m, Boundary, acceptedAt: TestClock.Now.AddDays(8)));

        Assert.True(Assert.IsType<SubmitOutcome.Accepted>(repeat).Repeated);
        Assert.Empty(_started);
        Assert.Equal(finished, _prices.Get("c-1")!.Status);
    }

    [Theory]
    [InlineData(11, 0, "all")]
    [InlineData(10, 1, "all")]
    [InlineData(10, 0, "region:NY")]
    public async Task Submit_OtherContentUnderATakenId_IsRefusedAndChangesNothing(int price, int hoursLater, string scope)
    {
        await Submit(Change("c-1", 10m, Boundary));

        var clash = await Submit(Change("c-1", price, Boundary.AddHours(hoursLater), PriceScope.Parse(scope)));

        Assert.Equal("c-1", Assert.IsType<SubmitOutcome.IdTaken>(clash).ChangeId);
        Assert.Single(_started);
        var record = Assert.Single(_prices.Records("SKU-1"));
        Assert.Equal((10m, Boundary, PriceScope.All), (record.Price, record.EffectiveAt, record.Scope));
    }

    [Fact]
    public async Task Submit_OtherSkusUnderATakenId_IsRefused()
    {
        await Submit(Change("c-1", 10m, Boundary));

        var clash = await Submit(Change("c-1", 10m, Boundary, sku: "SKU-2"));

        Assert.IsType<SubmitOutcome.IdTaken>(clash);
        Assert.Empty(_prices.Records("SKU-2"));
    }

    [Theory]
    [InlineData("store:9999")]
    [InlineData("region:TX")]
    public async Task Submit_ScopeOutsideTheStoreDirectory_IsRefusedBeforeAnythingIsStored(string scope)
    {
        var outcome = await Submit(Change("c-1", 10m, Boundary, PriceScope.Parse(scope)));

        var unknown = Assert.IsType<SubmitOutcome.UnknownScope>(outcome);
        Assert.Equal(scope, unknown.Scope);
        Assert.Null(_prices.Get("c-1"));
        Assert.Empty(_prices.Records("SKU-1"));
        Assert.Empty(_started);
    }

    [Fact]
    public async Task RetryFailed_UnknownChange_IsNotFound()
    {
        Assert.IsType<RetryOutcome.NotFound>(await _service.RetryFailedAsync("nope", CancellationToken.None));
        Assert.Empty(_started);
    }

    [Fact]
    public async Task RetryFailed_WhileTheFanOutIsDelivering_IsRefused()
    {
        await Submit(Change("c-1", 10m, Boundary));
        await _ledger.RecordAsync([Row("c-1", "pos-0001", DeliveryState.Failed)], CancellationToken.None);
        _started.Clear();

        Assert.IsType<RetryOutcome.StillDelivering>(await _service.RetryFailedAsync("c-1", CancellationToken.None));
        Assert.Empty(_started);
        Assert.Equal(1, _prices.Get("c-1")!.Runs);
    }

    [Fact]
    public async Task RetryFailed_TheRunsWorkflowFailedBeforeFinishing_StartsRunTwoOverEveryoneWithoutIt()
    {
        // The run's orchestration failed, so the change still says Delivering and some rows were left pending.
        await Submit(Change("c-1", 10m, Boundary));
        await _ledger.RecordAsync(
            [Row("c-1", "web-catalogue", DeliveryState.Delivered), Row("c-1", "pos-0001", DeliveryState.Pending), Row("c-1", "pos-0002", DeliveryState.Failed)],
            CancellationToken.None);
        _workflows.Setup(client => client.GetAsync(PriceFanOut.InstanceIdFor("c-1", 1), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new WorkflowState(PriceFanOut.InstanceIdFor("c-1", 1), "Failed", null, TestClock.Now));
        _started.Clear();

        var started = Assert.IsType<RetryOutcome.Started>(await _service.RetryFailedAsync("c-1", CancellationToken.None));

        Assert.Equal(2, started.Subscribers);
        Assert.Equal(["price-c-1-run2"], _started.Select(start => start.InstanceId));
    }

    [Fact]
    public async Task RetryFailed_WhileTheRunsWorkflowIsRunning_IsRefused()
    {
        await Submit(Change("c-1", 10m, Boundary));
        await _ledger.RecordAsync([Row("c-1", "pos-0001", DeliveryState.Failed)], CancellationToken.None);
        _workflows.Setup(client => client.GetAsync(PriceFanOut.InstanceIdFor("c-1", 1), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new WorkflowState(PriceFanOut.InstanceIdFor("c-1", 1), "Running", null, TestClock.Now));
        _started.Clear();

        Assert.IsType<RetryOutcome.StillDelivering>(await _service.RetryFailedAsync("c-1", CancellationToken.None));
        Assert.Empty(_started);
    }

    [Fact]
    public async Task RetryFailed_WhenEverySubscriberHasIt_StartsNothing()
    {
        await Finished("c-1", PriceChangeStatus.Delivered, ("web-catalogue", DeliveryState.Delivered), ("pos-0001", DeliveryState.Delivered));

        Assert.IsType<RetryOutcome.NothingFailed>(await _service.RetryFailedAsync("c-1", CancellationToken.None));
        Assert.Empty(_started);
        Assert.Equal(1, _prices.Get("c-1")!.Runs);
    }

    [Fact]
    public async Task RetryFailed_AfterAPartialDelivery_StartsRunTwoOverTheFailedSubscribers()
    {
        await Finished("c-1", PriceChangeStatus.PartiallyDelivered,
            ("web-catalogue", DeliveryState.Delivered), ("pos-0001", DeliveryState.Failed), ("pos-0002", DeliveryState.Failed));

        var outcome = await _service.RetryFailedAsync("c-1", CancellationToken.None);

        var started = Assert.IsType<RetryOutcome.Started>(outcome);
        Assert.Equal(2, started.Subscribers);
        Assert.Equal(2, started.Change.Runs);
        var stored = _prices.Get("c-1")!;
        Assert.Equal((2, PriceChangeStatus.Delivering, (DateTimeOffset?)null), (stored.Runs, stored.Status, stored.FinishedAt));
        var (instanceId, input) = Assert.Single(_started);
        Assert.Equal(PriceFanOut.InstanceIdFor("c-1", 2), instanceId);
        Assert.Equal("price-c-1-run2", instanceId);
        Assert.Equal(("c-1", 2), (input.ChangeId, input.Run));
    }

    [Fact]
    public async Task RetryFailed_CalledTwice_StartsOneRunThenSeesItDelivering()
    {
        await Finished("c-1", PriceChangeStatus.PartiallyDelivered, ("pos-0001", DeliveryState.Failed));

        var first = await _service.RetryFailedAsync("c-1", CancellationToken.None);
        var second = await _service.RetryFailedAsync("c-1", CancellationToken.None);

        Assert.IsType<RetryOutcome.Started>(first);
        Assert.IsType<RetryOutcome.StillDelivering>(second);
        Assert.Equal(["price-c-1-run2"], _started.Select(start => start.InstanceId));
    }

    [Fact]
    public async Task Report_CountsTheRowsAndReadsTheCurrentRunsWorkflow()
    {
        await Finished("c-1", PriceChangeStatus.PartiallyDelivered,
            ("web-catalogue", DeliveryState.Delivered), ("pos-0002", DeliveryState.Failed), ("pos-0001", DeliveryState.Pending));
        await _service.RetryFailedAsync("c-1", CancellationToken.None);
        _workflows.Setup(client => client.GetAsync("price-c-1-run2", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new WorkflowState("price-c-1-run2", "Running", null, TestClock.Now));

        var report = await _service.ReportAsync("c-1", CancellationToken.None);

        Assert.NotNull(report);
        Assert.Equal("Running", report.WorkflowStatus);
        Assert.Equal(new DeliveryCounts(3, 1, 1, 1), report.Counts);
        Assert.Equal(["pos-0001", "pos-0002", "web-catalogue"], report.Subscribers.Select(row => row.SubscriberId));
        Assert.Null(await _service.ReportAsync("nope", CancellationToken.None));
    }

    private Task<SubmitOutcome> Submit(PriceChange change) => _service.SubmitAsync(change, CancellationToken.None);

    private Task<PriceAnswer?> PriceAt(DateTimeOffset at, Store? store = null, string sku = "SKU-1") =>
        _service.PriceAtAsync(sku, at, store, CancellationToken.None);

    /// <summary>A change whose first run has ended with these rows.</summary>
    private async Task Finished(string changeId, PriceChangeStatus status, params (string SubscriberId, DeliveryState State)[] rows)
    {
        var change = Change(changeId, 10m, Boundary);
        change.Status = status;
        change.FinishedAt = TestClock.Now;
        await _prices.SaveChangeAsync(change, null, CancellationToken.None);
        await _ledger.RecordAsync(rows.Select(row => Row(changeId, row.SubscriberId, row.State)).ToList(), CancellationToken.None);
    }

    private static SubscriberDelivery Row(string changeId, string subscriberId, DeliveryState state) =>
        new(changeId, subscriberId, state, 1, null, null, false, TestClock.Now, null);
}
