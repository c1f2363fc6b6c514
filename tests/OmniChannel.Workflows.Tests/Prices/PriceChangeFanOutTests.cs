using System.Security.Cryptography;
using System.Text;
using Microsoft.DurableTask.Client;
using OmniChannel.Core.Prices;
using OmniChannel.Core.Stores;
using OmniChannel.TestSupport.Fakes;

namespace OmniChannel.Workflows.Tests.Prices;

/// <summary>The price fan-out orchestration, run for real on the in-process Durable Task host, one host per test.</summary>
public sealed class PriceChangeFanOutTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly Uri Endpoints = new("http://127.0.0.1:7071/subscribers/");

    private static readonly Store[] Chain =
    [
        new("0001", "Store 1", "New York", "NY", 40.7, -74.0, "America/New_York", BopisEnabled: true),
        new("0002", "Store 2", "Brooklyn", "NY", 40.6, -73.9, "America/New_York", BopisEnabled: true),
        new("0003", "Store 3", "Newark", "NJ", 40.7, -74.2, "America/New_York", BopisEnabled: true),
    ];

    /// <summary>
    /// The in-process host runs at most ProcessorCount activities at once and, once there, polls every 500 ms for a
    /// free slot: hundreds of one-subscriber activities in parallel windows would take minutes on a small machine.
    /// </summary>
    private const int OneActivityAtATime = 1;

    private PriceTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await PriceTestHost.StartAsync();
        await _host.Stores.UpsertAsync(Chain, CancellationToken.None);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task FanOut_TransientFailuresWithinAndAcrossRounds_DeliversToEverySubscriber()
    {
        var subscribers = await SeedChainSubscribersAsync();
        var failuresBeforeSuccess = new Dictionary<string, int>
        {
            ["pos-0001"] = 2, // recovers inside round 1
            ["signage-0002"] = 4, // needs round 2
            ["web-catalogue"] = 7, // needs round 3
        };
        _host.Channel.Script = (id, attempt) => attempt <= failuresBeforeSuccess.GetValueOrDefault(id) ? ScriptedPriceChannel.Busy : ScriptedPriceChannel.Ok;

        var done = await RunAsync(Change("chg-retry"), Input("chg-retry") with { BatchSize = 5 });

        AssertCompleted(done);
        var expected = new DeliveryCounts(subscribers.Count, subscribers.Count, 0, 0);
        Assert.Equal(expected, done.ReadOutputAs<DeliveryCounts>());
        var rows = await _host.RowsAsync("chg-retry");
        Assert.Equal(subscribers.Select(subscriber => subscriber.Id).Order(StringComparer.Ordinal), rows.Select(row => row.SubscriberId).Order(StringComparer.Ordinal));
        Assert.All(rows, row => Assert.Equal(DeliveryState.Delivered, row.State));
        Assert.All(rows, row => Assert.Equal(failuresBeforeSuccess.GetValueOrDefault(row.SubscriberId) + 1, row.Attempts));
        var change = _host.Prices.Get("chg-retry")!;
        Assert.Equal((PriceChangeStatus.Delivered, expected), (change.Status, change.Result));
        Assert.NotNull(change.FinishedAt);
        Assert.Equal(new PriceFanOutProgress(subscribers.Count, subscribers.Count, 0, 0, 4), done.ReadCustomStatusAs<PriceFanOutProgress>());
    }

    [Fact]
    public async Task FanOut_PermanentAndExhaustedFailures_AreReportedAndTheChangeIsPartiallyDelivered()
    {
        var subscribers = await SeedChainSubscribersAsync();
        _host.Channel.Script = (id, _) => id switch
        {
            "pos-0002" => ScriptedPriceChannel.Gone,
            "signage-hub-nj" => DeliveryAttempt.FromStatus(404, "Not Found"),
            "marketplace-2" => ScriptedPriceChannel.Busy,
            _ => ScriptedPriceChannel.Ok,
        };

        var done = await RunAsync(Change("chg-partial"), Input("chg-partial") with { Rounds = 2 });

        AssertCompleted(done);
        var expected = new DeliveryCounts(subscribers.Count, subscribers.Count - 3, 3, 0);
        Assert.Equal(expected, done.ReadOutputAs<DeliveryCounts>());
        var change = _host.Prices.Get("chg-partial")!;
        Assert.Equal((PriceChangeStatus.PartiallyDelivered, expected), (change.Status, change.Result));

        var gone = _host.Ledger.Row("chg-partial", "pos-0002");
        Assert.Equal((DeliveryState.Failed, true, 410, "HTTP 410 Gone", 1), (gone.State, gone.Permanent, gone.LastStatusCode, gone.LastError, gone.Attempts));
        var missing = _host.Ledger.Row("chg-partial", "signage-hub-nj");
        Assert.Equal((DeliveryState.Failed, true, 404), (missing.State, missing.Permanent, missing.LastStatusCode));
        Assert.Equal(1, _host.Channel.Attempts("pos-0002"));

        // Transient every time: both rounds spent, then failed by the close of the run, not marked permanent.
        var busy = _host.Ledger.Row("chg-partial", "marketplace-2");
        Assert.Equal((DeliveryState.Failed, false, "HTTP 503 Service Unavailable", 6), (busy.State, busy.Permanent, busy.LastError, busy.Attempts));
        Assert.Equal(6, _host.Channel.Attempts("marketplace-2"));
    }

    [Fact]
    public async Task FanOut_RegionChange_DeliversOnlyToTheSubscribersItReaches()
    {
        await SeedChainSubscribersAsync();

        var done = await RunAsync(Change("chg-nj", PriceScope.ForRegion("NJ")), Input("chg-nj"));

        AssertCompleted(done);
        var rows = await _host.RowsAsync("chg-nj");
        Assert.Equal(
            ["marketplace-1", "marketplace-2", "mobile-app", "pos-0003", "signage-0003", "signage-hub-nj", "web-catalogue"],
            rows.Select(row => row.SubscriberId).Order(StringComparer.Ordinal));
        Assert.Equal(0, _host.Channel.Attempts("pos-0001"));
    }

    [Fact]
    public async Task RetryFailed_AfterAPartialDelivery_RunTwoDeliversToTheFailedSubscribersOnly()
    {
        var subscribers = await SeedChainSubscribersAsync();
        var broken = new HashSet<string>(["pos-0002", "signage-0003"], StringComparer.Ordinal);
        _host.Channel.Script = (id, _) => broken.Contains(id) ? ScriptedPriceChannel.Gone : ScriptedPriceChannel.Ok;
        var service = _host.Service;

        var submitted = await service.SubmitAsync(Change("chg-fix"), CancellationToken.None);
        Assert.IsType<SubmitOutcome.Accepted>(submitted);
        var first = await _host.WaitForCompletionAsync(PriceFanOut.InstanceIdFor("chg-fix", 1));
        AssertCompleted(first);
        Assert.Equal(PriceChangeStatus.PartiallyDelivered, _host.Prices.Get("chg-fix")!.Status);

        // The subscribers' owners fix their endpoints; an admin retries the change.
        _host.Channel.Script = (_, _) => ScriptedPriceChannel.Ok;
        var retry = await service.RetryFailedAsync("chg-fix", CancellationToken.None);
        var second = await _host.WaitForCompletionAsync(PriceFanOut.InstanceIdFor("chg-fix", 2));

        Assert.Equal(2, Assert.IsType<RetryOutcome.Started>(retry).Subscribers);
        AssertCompleted(second);
        var change = _host.Prices.Get("chg-fix")!;
        Assert.Equal((PriceChangeStatus.Delivered, 2), (change.Status, change.Runs));
        Assert.Equal(new DeliveryCounts(subscribers.Count, subscribers.Count, 0, 0), change.Result);
        Assert.All(await _host.RowsAsync("chg-fix"), row => Assert.Equal(DeliveryState.Delivered, row.State));
        Assert.All(subscribers, subscriber => Assert.Equal(broken.Contains(subscriber.Id) ? 2 : 1, _host.Channel.Attempts(subscriber.Id)));

        var report = await service.ReportAsync("chg-fix", CancellationToken.None);
        Assert.Equal("Completed", report!.WorkflowStatus);
    }

    [Fact]
    public async Task FanOut_TwoThousandSubscribersWithTwoPercentTransientFailures_Batched_DeliversToEveryone()
    {
        await AssertEveryoneGetsItDespiteFlakinessAsync("chg-batched", FanOutMode.Batched, subscriberCount: 2000);
    }

    [Fact]
    public async Task FanOut_TwoHundredSubscribersWithTwoPercentTransientFailures_PerSubscriber_DeliversToEveryone()
    {
        await AssertEveryoneGetsItDespiteFlakinessAsync("chg-each", FanOutMode.PerSubscriber, subscriberCount: 200);
    }

    [Fact]
    public async Task FanOut_PerSubscriber_PermanentAndExhaustedFailuresAreReported()
    {
        var subscribers = await SeedChainSubscribersAsync();
        _host.Channel.Script = (id, _) => id switch
        {
            "pos-0002" => ScriptedPriceChannel.Gone,
            "marketplace-2" => ScriptedPriceChannel.Busy,
            _ => ScriptedPriceChannel.Ok,
        };

        var done = await RunAsync(Change("chg-each-partial"), Input("chg-each-partial") with { Mode = FanOutMode.PerSubscriber, AttemptsPerRound = 2, Rounds = 1 });

        AssertCompleted(done);
        Assert.Equal(new DeliveryCounts(subscribers.Count, subscribers.Count - 2, 2, 0), done.ReadOutputAs<DeliveryCounts>());
        var gone = _host.Ledger.Row("chg-each-partial", "pos-0002");
        Assert.Equal((DeliveryState.Failed, true, 1), (gone.State, gone.Permanent, gone.Attempts));
        var busy = _host.Ledger.Row("chg-each-partial", "marketplace-2");
        Assert.Equal((DeliveryState.Failed, false, "HTTP 503 Service Unavailable", 2), (busy.State, busy.Permanent, busy.LastError, busy.Attempts));
        Assert.Equal(PriceChangeStatus.PartiallyDelivered, _host.Prices.Get("chg-each-partial")!.Status);
    }

    [Fact]
    public async Task FanOut_PerSubscriber_RoundBackOffBelowTheFirstRetryInterval_StillRuns()
    {
        // Regression: the retry policy took the round back-off as its cap, which the SDK refuses below its 200 ms first interval.
        var subscribers = await SeedChainSubscribersAsync();
        _host.Channel.Script = (id, attempt) => id == "pos-0001" && attempt == 1 ? ScriptedPriceChannel.Busy : ScriptedPriceChannel.Ok;

        var done = await RunAsync(Change("chg-no-backoff"), Input("chg-no-backoff") with { Mode = FanOutMode.PerSubscriber, RoundBackOff = TimeSpan.Zero, MaxParallelActivities = OneActivityAtATime });

        AssertCompleted(done);
        Assert.Equal(new DeliveryCounts(subscribers.Count, subscribers.Count, 0, 0), done.ReadOutputAs<DeliveryCounts>());
        Assert.Equal(2, _host.Ledger.Row("chg-no-backoff", "pos-0001").Attempts);
    }

    private async Task AssertEveryoneGetsItDespiteFlakinessAsync(string changeId, FanOutMode mode, int subscriberCount)
    {
        var subscribers = Enumerable.Range(0, subscriberCount)
            .Select(index => new PriceSubscriber($"sub-{index:D4}", (SubscriberKind)(index % 5), PriceScope.All, new Uri(Endpoints, $"sub-{index:D4}"), Enabled: true, Now))
            .ToList();
        await _host.AddSubscribersAsync(subscribers);
        _host.Channel.Script = (id, attempt) => Flaky(id, attempt) ? ScriptedPriceChannel.Busy : ScriptedPriceChannel.Ok;
        var input = Input(changeId) with { Mode = mode, BatchSize = 250, MaxParallelActivities = mode == FanOutMode.PerSubscriber ? OneActivityAtATime : 8 };

        var done = await RunAsync(Change(changeId), input, TimeSpan.FromSeconds(60));

        AssertCompleted(done);
        var expected = new DeliveryCounts(subscriberCount, subscriberCount, 0, 0);
        Assert.Equal(expected, done.ReadOutputAs<DeliveryCounts>());
        Assert.Equal((PriceChangeStatus.Delivered, expected), (_host.Prices.Get(changeId)!.Status, _host.Prices.Get(changeId)!.Result));

        // Each subscriber took exactly as many attempts as its scripted failures demand: none skipped, none repeated.
        var rows = (await _host.RowsAsync(changeId)).ToDictionary(row => row.SubscriberId, StringComparer.Ordinal);
        Assert.Equal(subscriberCount, rows.Count);
        Assert.All(subscribers, subscriber =>
        {
            var row = rows[subscriber.Id];
            Assert.Equal(DeliveryState.Delivered, row.State);
            Assert.Equal(FirstSuccess(subscriber.Id), row.Attempts);
            Assert.Equal(row.Attempts, _host.Channel.Attempts(subscriber.Id));
        });

        // The failures did happen (the test would prove nothing otherwise).
        Assert.True(rows.Values.Count(row => row.Attempts > 1) >= subscriberCount / 100, "Too few subscribers needed a retry.");
    }

    private static void AssertCompleted(OrchestrationMetadata done) =>
        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{done.InstanceId} ended {done.RuntimeStatus}: {done.FailureDetails}");

    /// <summary>The chain's subscribers as the local host seeds them: 4 chain-wide, 2 regional hubs, 2 per store.</summary>
    private async Task<IReadOnlyList<PriceSubscriber>> SeedChainSubscribersAsync()
    {
        var subscribers = SubscriberSeed.Generate(Chain, Endpoints, Now);
        await _host.AddSubscribersAsync(subscribers.ToList());
        return subscribers;
    }

    private async Task<OrchestrationMetadata> RunAsync(PriceChange change, PriceFanOutInput input, TimeSpan? timeout = null)
    {
        var instanceId = await _host.StartFanOutAsync(change, input);
        return await _host.WaitForCompletionAsync(instanceId, timeout);
    }

    private PriceFanOutInput Input(string changeId) => PriceFanOutInput.From(changeId, 1, _host.Options);

    private static PriceChange Change(string id, PriceScope? scope = null) => new()
    {
        Id = id,
        Items = [new PriceItem("SKU-1", 9.99m, "USD"), new PriceItem("SKU-2", 19.99m, "USD")],
        EffectiveAt = Now.AddDays(6),
        Scope = scope ?? PriceScope.All,
        AcceptedAt = Now,
    };

    /// <summary>2% of attempts fail, decided by a hash of (subscriber, attempt): the same run every time.</summary>
    private static bool Flaky(string subscriberId, int attempt)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{subscriberId}:{attempt}"));
        return BitConverter.ToUInt32(hash) % 100 < 2;
    }

    private static int FirstSuccess(string subscriberId)
    {
        var attempt = 1;
        while (Flaky(subscriberId, attempt))
        {
            attempt++;
        }

        return attempt;
    }
}
