using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;
using OmniChannel.Core.Insights;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Prices;
using OmniChannel.Core.UnitTests.Builders;
using OmniChannel.TestSupport.Fakes;
using static OmniChannel.Core.UnitTests.Prices.PriceTestData;

namespace OmniChannel.Core.UnitTests.Prices;

public sealed class PriceDelivererTests
{
    private const string ChangeId = "c-1";

    private readonly InMemoryPriceStore _prices = new();
    private readonly InMemorySubscriberRegistry _registry = new();
    private readonly InMemorySubscriberSecretStore _secrets = new();
    private readonly InMemoryDeliveryLedger _ledger = new();
    private readonly ScriptedPriceChannel _channel = new();
    private readonly FakeTimeProvider _clock = TestClock.Create();
    private readonly InMemoryInsights _insights = new();

    // No back-off between attempts: the retries are what is under test, not the waiting.
    private readonly PriceFanOutOptions _options = new() { AttemptBackOff = TimeSpan.Zero };

    public PriceDelivererTests()
    {
        _registry.Seed(Subscribers());
        foreach (var subscriber in Subscribers())
        {
            _secrets.SetAsync(subscriber.Id, "whsec_" + subscriber.Id, CancellationToken.None).GetAwaiter().GetResult();
        }

        _prices.SaveChangeAsync(Change(ChangeId, 10m, TestClock.Now, PriceScope.ForRegion("NY")), null, CancellationToken.None).GetAwaiter().GetResult();
    }

    [Fact]
    public async Task Plan_FirstRun_ListsTheEnabledSubscribersInScopeWithAPendingRowEach()
    {
        _registry.Seed([Subscribers().Single(subscriber => subscriber.Id == "pos-0002") with { Enabled = false }]);

        var planned = await Deliverer().PlanAsync(ChangeId, 1, CancellationToken.None);

        Assert.Equal(["marketplace-1", "marketplace-2", "mobile-app", "pos-0001", "signage-0001", "signage-0002", "signage-hub-ny", "web-catalogue"], planned);
        var rows = await _ledger.ListAsync(ChangeId, CancellationToken.None);
        Assert.Equal(planned.Order(StringComparer.Ordinal), rows.Select(row => row.SubscriberId).Order(StringComparer.Ordinal));
        Assert.All(rows, row => Assert.Equal((DeliveryState.Pending, 0), (row.State, row.Attempts)));
    }

    [Fact]
    public async Task Plan_LaterRun_ListsOnlyTheSubscribersThatFailed()
    {
        await _ledger.RecordAsync(
        [
            Row("web-catalogue", DeliveryState.Delivered),
            Row("pos-0001", DeliveryState.Failed),
            Row("signage-0002", DeliveryState.Failed),
        ], CancellationToken.None);

        var planned = await Deliverer().PlanAsync(ChangeId, 2, CancellationToken.None);

        Assert.Equal(["pos-0001", "signage-0002"], planned);
        Assert.Equal(DeliveryState.Pending, _ledger.Row(ChangeId, "pos-0001").State);
        Assert.Equal(DeliveryState.Delivered, _ledger.Row(ChangeId, "web-catalogue").State);
    }

    [Fact]
    public async Task DeliverBatch_TransientTwiceThenSuccess_IsDeliveredOnTheThirdAttempt()
    {
        _channel.Script = (_, attempt) => attempt <= 2 ? ScriptedPriceChannel.Busy : ScriptedPriceChannel.Ok;

        var outcome = await Deliverer().DeliverBatchAsync(ChangeId, ["pos-0001"], attempts: 3, round: 1, CancellationToken.None);

        Assert.Equal((1, 0), (outcome.Delivered, outcome.Failed));
        Assert.Empty(outcome.Retry);
        var row = _ledger.Row(ChangeId, "pos-0001");
        Assert.Equal((DeliveryState.Delivered, 3, 200, false), (row.State, row.Attempts, row.LastStatusCode, row.Permanent));
        Assert.Equal(TestClock.Now, row.DeliveredAt);
        Assert.Equal(3, _channel.Attempts("pos-0001"));
    }

    [Fact]
    public async Task DeliverBatch_PermanentFailure_FailsAtOnceWithoutRetrying()
    {
        _channel.Script = (_, _) => ScriptedPriceChannel.Gone;

        var outcome = await Deliverer().DeliverBatchAsync(ChangeId, ["pos-0001"], attempts: 3, round: 1, CancellationToken.None);

        Assert.Equal((0, 1), (outcome.Delivered, outcome.Failed));
        Assert.Empty(outcome.Retry);
        var row = _ledger.Row(ChangeId, "pos-0001");
        Assert.Equal((DeliveryState.Failed, 1, 410, true, "HTTP 410 Gone"), (row.State, row.Attempts, row.LastStatusCode, row.Permanent, row.LastError));
        Assert.Null(row.DeliveredAt);
        Assert.Equal(1, _channel.Attempts("pos-0001"));
    }

    [Fact]
    public async Task DeliverBatch_TransientOnEveryAttempt_StaysPendingAndIsHandedBackForTheNextRound()
    {
        _channel.Script = (_, _) => ScriptedPriceChannel.Busy;

        var outcome = await Deliverer().DeliverBatchAsync(ChangeId, ["pos-0001"], attempts: 3, round: 1, CancellationToken.None);

        Assert.Equal((0, 0), (outcome.Delivered, outcome.Failed));
        Assert.Equal(["pos-0001"], outcome.Retry);
        var row = _ledger.Row(ChangeId, "pos-0001");
        Assert.Equal((DeliveryState.Pending, 3, 503, false, "HTTP 503 Service Unavailable"), (row.State, row.Attempts, row.LastStatusCode, row.Permanent, row.LastError));
        Assert.Equal(3, _channel.Attempts("pos-0001"));
    }

    [Fact]
    public async Task DeliverBatch_LaterRound_CountsTheAttemptsOfTheEarlierRounds()
    {
        _channel.Script = (_, attempt) => attempt == 1 ? ScriptedPriceChannel.Ok : ScriptedPriceChannel.Busy;

        await Deliverer().DeliverBatchAsync(ChangeId, ["pos-0001"], attempts: 3, round: 3, CancellationToken.None);

        Assert.Equal(7, _ledger.Row(ChangeId, "pos-0001").Attempts);
    }

    [Fact]
    public async Task DeliverBatch_UnknownSubscriber_FailsPermanentlyWithoutACall()
    {
        var outcome = await Deliverer().DeliverBatchAsync(ChangeId, ["pos-9999"], attempts: 3, round: 1, CancellationToken.None);

        Assert.Equal((0, 1), (outcome.Delivered, outcome.Failed));
        var row = _ledger.Row(ChangeId, "pos-9999");
        Assert.Equal((DeliveryState.Failed, true, 1), (row.State, row.Permanent, row.Attempts));
        Assert.Contains("no longer registered", row.LastError, StringComparison.Ordinal);
        Assert.Equal(0, _channel.TotalAttempts);
    }

    [Fact]
    public async Task DeliverBatch_SubscriberWithoutASecret_FailsPermanentlyWithoutACall()
    {
        await _secrets.DeleteAsync("pos-0001", CancellationToken.None);

        await Deliverer().DeliverBatchAsync(ChangeId, ["pos-0001"], attempts: 3, round: 1, CancellationToken.None);

        var row = _ledger.Row(ChangeId, "pos-0001");
        Assert.Equal((DeliveryState.Failed, true), (row.State, row.Permanent));
        Assert.Contains("no signing secret", row.LastError, StringComparison.Ordinal);
        Assert.Equal(0, _channel.TotalAttempts);
    }

    [Fact]
    public async Task DeliverBatch_SubscriberDisabledAfterPlanning_FailsPermanentlyWithoutACall()
    {
        _registry.Seed([Subscribers().Single(subscriber => subscriber.Id == "pos-0001") with { Enabled = false }]);

        await Deliverer().DeliverBatchAsync(ChangeId, ["pos-0001"], attempts: 3, round: 1, CancellationToken.None);

        var row = _ledger.Row(ChangeId, "pos-0001");
        Assert.Equal((DeliveryState.Failed, true), (row.State, row.Permanent));
        Assert.Contains("disabled", row.LastError, StringComparison.Ordinal);
        Assert.Equal(0, _channel.TotalAttempts);
    }

    [Fact]
    public async Task DeliverBatch_NoAnswerWithinTheTimeout_CountsAsTransient()
    {
        _options.DeliveryTimeout = TimeSpan.FromMilliseconds(20);
        var hanging = new Mock<IPriceDeliveryChannel>();
        hanging.Setup(channel => channel.DeliverAsync(It.IsAny<PriceChange>(), It.IsAny<PriceSubscriber>(), It.IsAny<IReadOnlyList<string>>(), It.IsAny<CancellationToken>()))
            .Returns(async (PriceChange _, PriceSubscriber _, IReadOnlyList<string> _, CancellationToken token) =>
            {
                await Task.Delay(Timeout.Infinite, token);
                return ScriptedPriceChannel.Ok;
            });

        var outcome = await Deliverer(hanging.Object).DeliverBatchAsync(ChangeId, ["pos-0001"], attempts: 1, round: 1, CancellationToken.None);

        Assert.Equal(["pos-0001"], outcome.Retry);
        var row = _ledger.Row(ChangeId, "pos-0001");
        Assert.Equal((DeliveryState.Pending, false, (int?)null), (row.State, row.Permanent, row.LastStatusCode));
        Assert.StartsWith("No answer within", row.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeliverBatch_MixedBatch_SignsWithEachSubscribersSecretAndRecordsEveryRowInOneWrite()
    {
        _channel.Script = (subscriber, _) => subscriber switch
        {
            "pos-0002" => ScriptedPriceChannel.Gone,
            "signage-0001" => ScriptedPriceChannel.Busy,
            _ => ScriptedPriceChannel.Ok,
        };
        string[] batch = ["pos-0001", "pos-0002", "signage-0001", "web-catalogue"];

        var outcome = await Deliverer().DeliverBatchAsync(ChangeId, batch, attempts: 2, round: 1, CancellationToken.None);

        Assert.Equal((2, 1), (outcome.Delivered, outcome.Failed));
        Assert.Equal(["signage-0001"], outcome.Retry);
        Assert.Equal(1, _ledger.Writes);
        Assert.Equal(
            [DeliveryState.Delivered, DeliveryState.Failed, DeliveryState.Pending, DeliveryState.Delivered],
            batch.Select(id => _ledger.Row(ChangeId, id).State));
        Assert.All(batch, id => Assert.Equal("whsec_" + id, _channel.SecretUsedFor(id)));
    }

    [Fact]
    public async Task DeliverOne_AddsToTheAttemptsAlreadyRecorded()
    {
        _channel.Script = (_, attempt) => attempt == 1 ? ScriptedPriceChannel.Busy : ScriptedPriceChannel.Ok;
        var deliverer = Deliverer();
        await deliverer.PlanAsync(ChangeId, 1, CancellationToken.None);

        var first = await deliverer.DeliverOneAsync(ChangeId, "pos-0001", CancellationToken.None);
        var afterFirst = _ledger.Row(ChangeId, "pos-0001");
        var second = await deliverer.DeliverOneAsync(ChangeId, "pos-0001", CancellationToken.None);
        var afterSecond = _ledger.Row(ChangeId, "pos-0001");

        Assert.Equal(AttemptOutcome.Transient, first.Outcome);
        Assert.Equal((DeliveryState.Pending, 1), (afterFirst.State, afterFirst.Attempts));
        Assert.Equal(AttemptOutcome.Delivered, second.Outcome);
        Assert.Equal((DeliveryState.Delivered, 2), (afterSecond.State, afterSecond.Attempts));
    }

    [Fact]
    public async Task Finish_WithSubscribersStillPending_FailsThemKeepingTheirLastErrorAndWritesTheCounts()
    {
        await _ledger.RecordAsync(
        [
            Row("web-catalogue", DeliveryState.Delivered),
            Row("pos-0001", DeliveryState.Failed, "HTTP 410 Gone", permanent: true),
            Row("pos-0002", DeliveryState.Pending, "HTTP 503 Service Unavailable"),
            Row("signage-0001", DeliveryState.Pending),
        ], CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(2));

        var counts = await Deliverer().FinishAsync(ChangeId, CancellationToken.None);

        Assert.Equal(new DeliveryCounts(Total: 4, Delivered: 1, Failed: 3, Pending: 0), counts);
        var busy = _ledger.Row(ChangeId, "pos-0002");
        Assert.Equal((DeliveryState.Failed, "HTTP 503 Service Unavailable", false), (busy.State, busy.LastError, busy.Permanent));
        Assert.Equal(_clock.GetUtcNow(), busy.UpdatedAt);
        var untried = _ledger.Row(ChangeId, "signage-0001");
        Assert.Equal(DeliveryState.Failed, untried.State);
        Assert.False(string.IsNullOrWhiteSpace(untried.LastError));
        Assert.Equal("HTTP 410 Gone", _ledger.Row(ChangeId, "pos-0001").LastError);
        var change = _prices.Get(ChangeId)!;
        Assert.Equal(PriceChangeStatus.PartiallyDelivered, change.Status);
        Assert.Equal(counts, change.Result);
        Assert.Equal(_clock.GetUtcNow(), change.FinishedAt);
        var today = InsightSample.DayOf(_clock.GetUtcNow());
        Assert.Equal(
            [
                new InsightSample(today, InsightMetric.PriceChanges, Duration: TimeSpan.FromMinutes(2)),
                new InsightSample(today, InsightMetric.PriceDelivered, 1),
                new InsightSample(today, InsightMetric.PriceFailed, 3),
            ],
            _insights.Samples);
    }

    [Fact]
    public async Task Finish_ARetryRun_CountsOnlyTheSubscribersItNewlyReachedAndNotTheChangeAgain_ARepeatCountsNothing()
    {
        await _ledger.RecordAsync([Row("web-catalogue", DeliveryState.Delivered), Row("pos-0001", DeliveryState.Failed), Row("pos-0002", DeliveryState.Failed)], CancellationToken.None);
        await Deliverer().FinishAsync(ChangeId, CancellationToken.None);
        var stored = (await _prices.GetChangeAsync(ChangeId, CancellationToken.None))!;
        stored.Value.Runs = 2;
        stored.Value.FinishedAt = null; // as a retry request leaves it
        await _prices.SaveChangeAsync(stored.Value, stored.ETag, CancellationToken.None);
        await _ledger.RecordAsync([Row("pos-0001", DeliveryState.Delivered)], CancellationToken.None);
        var before = _insights.Samples.Count;

        await Deliverer().FinishAsync(ChangeId, CancellationToken.None);
        await Deliverer().FinishAsync(ChangeId, CancellationToken.None);

        var today = InsightSample.DayOf(_clock.GetUtcNow());
        Assert.Equal(
            [new InsightSample(today, InsightMetric.PriceDelivered, 1), new InsightSample(today, InsightMetric.PriceFailed, 1)],
            _insights.Samples.Skip(before));
        Assert.Equal(1, _insights.Total(InsightMetric.PriceChanges));
    }

    [Fact]
    public async Task Finish_TheCountersAreDown_TheChangeIsStillClosed()
    {
        await _ledger.RecordAsync([Row("web-catalogue", DeliveryState.Delivered)], CancellationToken.None);
        _insights.FailWith = new InvalidOperationException("table unavailable");

        var counts = await Deliverer().FinishAsync(ChangeId, CancellationToken.None);

        Assert.Equal((PriceChangeStatus.Delivered, counts), (_prices.Get(ChangeId)!.Status, _prices.Get(ChangeId)!.Result));
    }

    [Fact]
    public async Task Finish_EverySubscriberDelivered_MarksTheChangeDelivered()
    {
        await _ledger.RecordAsync([Row("web-catalogue", DeliveryState.Delivered), Row("pos-0001", DeliveryState.Delivered)], CancellationToken.None);

        var counts = await Deliverer().FinishAsync(ChangeId, CancellationToken.None);

        Assert.Equal(new DeliveryCounts(2, 2, 0, 0), counts);
        var change = _prices.Get(ChangeId)!;
        Assert.Equal((PriceChangeStatus.Delivered, counts), (change.Status, change.Result));
    }

    [Fact]
    public async Task Finish_KeepsTheRunCounterAnotherWriterSet()
    {
        // The result is written onto the stored change, not onto a copy read before the run started.
        var stored = (await _prices.GetChangeAsync(ChangeId, CancellationToken.None))!;
        stored.Value.Runs = 2;
        await _prices.SaveChangeAsync(stored.Value, stored.ETag, CancellationToken.None);
        await _ledger.RecordAsync([Row("pos-0001", DeliveryState.Delivered)], CancellationToken.None);

        await Deliverer().FinishAsync(ChangeId, CancellationToken.None);

        var change = _prices.Get(ChangeId)!;
        Assert.Equal((2, PriceChangeStatus.Delivered), (change.Runs, change.Status));
    }

    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    [InlineData(202)]
    [InlineData(204)]
    public void FromStatus_Success_IsDelivered(int status)
    {
        var attempt = DeliveryAttempt.FromStatus(status, "OK");

        Assert.Equal((AttemptOutcome.Delivered, (int?)status, (string?)null), (attempt.Outcome, attempt.StatusCode, attempt.Error));
    }

    [Theory]
    [InlineData(408)]
    [InlineData(425)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public void FromStatus_TimeoutThrottlingOrServerError_IsTransient(int status)
    {
        var attempt = DeliveryAttempt.FromStatus(status, "Busy");

        Assert.Equal((AttemptOutcome.Transient, (int?)status, $"HTTP {status} Busy"), (attempt.Outcome, attempt.StatusCode, attempt.Error));
    }

    [Theory]
    [InlineData(301)]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(410)]
    [InlineData(422)]
    public void FromStatus_OtherClientError_IsPermanent(int status)
    {
        var attempt = DeliveryAttempt.FromStatus(status, null);

        Assert.Equal((AttemptOutcome.Permanent, (int?)status, $"HTTP {status}"), (attempt.Outcome, attempt.StatusCode, attempt.Error));
    }

    [Fact]
    public async Task DeliverBatch_SecretStoreThrottlingForOneSubscriber_ThatOneWaitsForTheNextRound_TheOthersAreDelivered()
    {
        // CallBase: the batch read is the port's default, one read per subscriber, so the throttled one fails the batch read.
        var secrets = new Mock<ISubscriberSecretStore> { CallBase = true };
        secrets.Setup(store => store.GetSigningSecretsAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => ["whsec_" + id]);
        secrets.Setup(store => store.GetSigningSecretsAsync("pos-0001", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new TransientStorageException("Azure Key Vault answered 429 (Too Many Requests).", TimeSpan.FromSeconds(1), new IOException("429")));

        var outcome = await Deliverer(secrets: secrets.Object).DeliverBatchAsync(ChangeId, ["pos-0001", "web-catalogue"], attempts: 1, round: 1, CancellationToken.None);

        Assert.Equal((1, 0), (outcome.Delivered, outcome.Failed));
        Assert.Equal(["pos-0001"], outcome.Retry);
        Assert.Equal((0, "whsec_web-catalogue"), (_channel.Attempts("pos-0001"), _channel.SecretUsedFor("web-catalogue")));
        var row = await _ledger.GetAsync(ChangeId, "pos-0001", CancellationToken.None);
        Assert.Contains("signing secret could not be read", row!.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeliverBatch_ReadsItsSubscribersAndSecretsOnceForTheWholeBatch_NotPerDeliveryOrAttempt()
    {
        // Strict: a point read of one subscriber or one secret throws, so only the batch reads may happen.
        var registry = new Mock<ISubscriberRegistry>(MockBehavior.Strict);
        registry.Setup(store => store.GetManyAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((IReadOnlyCollection<string> ids, CancellationToken _) => Subscribers().Where(subscriber => ids.Contains(subscriber.Id)).ToDictionary(subscriber => subscriber.Id));
        var secrets = new Mock<ISubscriberSecretStore>(MockBehavior.Strict);
        secrets.Setup(store => store.GetSigningSecretsAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((IReadOnlyCollection<string> ids, CancellationToken _) => ids.ToDictionary(id => id, id => (IReadOnlyList<string>)["whsec_" + id]));
        _channel.Script = (subscriber, attempt) => subscriber == "pos-0001" && attempt == 1 ? ScriptedPriceChannel.Busy : ScriptedPriceChannel.Ok;
        var deliverer = new PriceDeliverer(_prices, registry.Object, secrets.Object, _ledger, _channel, Mock.Of<IStoreDirectory>(), _options, _clock, _insights.Counters(), NullLogger<PriceDeliverer>.Instance);

        var outcome = await deliverer.DeliverBatchAsync(ChangeId, ["pos-0001", "signage-0002", "web-catalogue"], attempts: 3, round: 1, CancellationToken.None);

        Assert.Equal((3, 0), (outcome.Delivered, outcome.Failed));
        Assert.Equal((2, "whsec_pos-0001", "whsec_web-catalogue"), (_channel.Attempts("pos-0001"), _channel.SecretUsedFor("pos-0001"), _channel.SecretUsedFor("web-catalogue")));
        registry.Verify(store => store.GetManyAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()), Times.Once);
        secrets.Verify(store => store.GetSigningSecretsAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public void Count_TalliesEachState()
    {
        var counts = PriceDeliverer.Count([DeliveryState.Delivered, DeliveryState.Failed, DeliveryState.Pending, DeliveryState.Delivered]);

        Assert.Equal(new DeliveryCounts(4, 2, 1, 1), counts);
    }

    private PriceDeliverer Deliverer(IPriceDeliveryChannel? channel = null, ISubscriberSecretStore? secrets = null)
    {
        var stores = new Mock<IStoreDirectory>();
        stores.Setup(directory => directory.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync(Chain);
        return new PriceDeliverer(_prices, _registry, secrets ?? _secrets, _ledger, channel ?? _channel, stores.Object, _options, _clock, _insights.Counters(), NullLogger<PriceDeliverer>.Instance);
    }

    private static SubscriberDelivery Row(string subscriberId, DeliveryState state, string? error = null, bool permanent = false) =>
        new(ChangeId, subscriberId, state, 1, null, error, permanent, TestClock.Now, state == DeliveryState.Delivered ? TestClock.Now : null);
}
