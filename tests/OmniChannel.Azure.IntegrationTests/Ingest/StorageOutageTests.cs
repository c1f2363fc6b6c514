using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OmniChannel.Azure.Cosmos;
using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Core.Ingest;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;
using OmniChannel.TestSupport.Faults;
using OmniChannel.Core.Remarketing;
using static OmniChannel.Azure.IntegrationTests.Fixtures.Events;

namespace OmniChannel.Azure.IntegrationTests.Ingest;

/// <summary>
/// The storage account (Azurite's blob, queue and table services) unreachable behind fault proxies while ingest runs,
/// Azurite keeping its data as the real service would. What ingest touches there: the KPI counters (Tables), the
/// reactions (the store directory and remarketing rules in Tables; in the hosts also the Durable Task engine) and
/// parking (blobs). A batch handler that throws would lose the batch, because the Event Hubs trigger checkpoints
/// anyway, so every batch here must come back, and every event must end in Cosmos DB exactly once.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class StorageOutageTests(ServersFixture servers)
{
    private const int Skus = 10;

    [Fact]
    public async Task StorageDownFor30Seconds_DuringA5000EventRun_EveryEventEndsInCosmosExactlyOnceAndEveryOrderStartsItsWorkflow()
    {
        const int batches = 10, batchSize = 500;
        await using var storage = new StorageFaultProxy(servers.Azurite);
        var logs = new LogRecorder();
        await using var backbone = await StartBackboneAsync(logs, new Dictionary<string, string?>
        {
            ["OmniChannel:Tables:ConnectionString"] = storage.ConnectionString,
            // Short enough that a batch held up by the outage tries to park (each storage call spends seconds in the SDK's own retries first).
            ["OmniChannel:Ingest:ParkAfter"] = "00:00:08",
            ["OmniChannel:Ingest:MaxTransientBackoff"] = "00:00:01",
        });
        var run = Guid.NewGuid().ToString("N")[..6];
        var eventsBefore = await EventsCountedTodayAsync(backbone);

        var reports = new List<IngestReport>();
        var thrown = new List<string>();
        Task outage = Task.CompletedTask;
        try
        {
            for (var batch = 0; batch < batches; batch++)
            {
                if (batch == 3)
                {
                    storage.Down();
                    outage = Task.Delay(TimeSpan.FromSeconds(30)).ContinueWith(_ => storage.Up(), TaskScheduler.Default);
                    var health = await backbone.HealthAsync();
                    // Tables unhealthy, and the parked count unknown (null, which the report leaves out), not an error.
                    Assert.Equal("unhealthy", Dependency(health, "tables"));
                    // Why, in a word: never the exception's text (it names hosts and ports).
                    var reason = health.GetProperty("dependencies").EnumerateArray().Single(d => d.GetProperty("name").GetString() == "tables").GetProperty("error").GetString();
                    Assert.Contains(reason, new[] { "unreachable", "timeout" });
                    Assert.False(health.TryGetProperty("parkedBatches", out var parkedBatches) && parkedBatches.ValueKind != System.Text.Json.JsonValueKind.Null, health.ToString());
                }

                try
                {
                    reports.Add(await backbone.IngestAsync(Batch(run, batch, batchSize)));
                }
                catch (Exception exception)
                {
                    // What the trigger would do: checkpoint past the batch and go on with the next one.
                    thrown.Add($"batch {batch}: {exception.GetType().Name}: {exception.Message.Split('\n')[0]}");
                }
            }

            await outage;
        }
        finally
        {
            storage.Up();
        }

        Assert.True(thrown.Count == 0, "the handler threw, so the trigger would have checkpointed past: " + string.Join("; ", thrown));
        Assert.True(logs.Count("LogTransientRetry") + logs.Count("LogParked") > 0, "no batch failed (retried or parked): the outage did not bite");

        // A batch that stayed failing past ParkAfter may have parked once the blobs came back: a replay applies it.
        var replay = await backbone.Get<ParkedBatchReplayer>().ReplayAsync(CancellationToken.None);
        Assert.Null(replay.Error);
        Assert.Equal((reports.Sum(report => report.Parked), 0), (replay.Events, replay.Remaining));

        await AssertEveryEventOnceAsync(backbone, run, batches * batchSize);
        var workflows = backbone.Get<RecordingWorkflowClient>();
        for (var batch = 0; batch < batches; batch++)
        {
            Assert.True(workflows.Started.ContainsKey(BopisWorkflow.InstanceIdFor(OrderId(run, batch))), $"the pickup order of batch {batch} never started its workflow");
        }

        // KPI counters are a side matter (a write that fails is logged and dropped), but a retried batch counts nothing twice.
        var counted = await EventsCountedTodayAsync(backbone) - eventsBefore;
        Assert.InRange(counted, 1, batches * batchSize);
        Assert.Equal("healthy", (await backbone.HealthAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task CosmosAndStorageDownTogether_ParkingFails_TheBatchIsKeptUntilItParksAndEveryEventEndsInCosmosOnce()
    {
        const int batchSize = 500;
        await using var cosmos = new TcpFaultProxy(servers.Cosmos.Endpoint.Port);
        await using var storage = new StorageFaultProxy(servers.Azurite);
        var logs = new LogRecorder();
        await using var backbone = await StartBackboneAsync(logs, new Dictionary<string, string?>
        {
            ["OmniChannel:Cosmos:AccountEndpoint"] = $"https://127.0.0.1:{cosmos.Port}/",
            ["OmniChannel:Tables:ConnectionString"] = storage.ConnectionString,
            ["OmniChannel:Ingest:ParkAfter"] = "00:00:01",
            ["OmniChannel:Ingest:MaxTransientBackoff"] = "00:00:01",
        });
        var run = Guid.NewGuid().ToString("N")[..6];

        // As on the local host's first run, no batch was ever parked: the first park has to create the container.
        await new global::Azure.Storage.Blobs.BlobContainerClient(servers.Azurite.ConnectionString, OmniChannel.Core.OmniChannelNames.ParkedContainer).DeleteIfExistsAsync();

        var reports = new List<IngestReport> { await backbone.IngestAsync(Batch(run, 0, batchSize)) };
        try
        {
            // Both down. The storage SDK retries a call for up to ~30 s itself (5 retries, exponential, jittered), so
            // storage stays down longer than that: the first attempt to park fails outright.
            cosmos.Down();
            storage.Down();
            var storageBack = Task.Delay(TimeSpan.FromSeconds(36)).ContinueWith(_ => storage.Up(), TaskScheduler.Default);
            var ingest = backbone.IngestAsync(Batch(run, 1, batchSize));

            // Meanwhile a replay finds the parking store down: a transient fault (503 with Retry-After), not an error.
            await Assert.ThrowsAsync<TransientStorageException>(() => backbone.Get<ParkedBatchReplayer>().ReplayAsync(CancellationToken.None));
            await storageBack;

            // Cosmos DB stays down until the handler returns, so the only way it may return is by parking the batch
            // (returning otherwise would let the trigger checkpoint a batch that is neither applied nor parked). The
            // deadline only keeps a handler that never returns from hanging the run.
            var report = await ingest.WaitAsync(TimeSpan.FromMinutes(2));
            Assert.Equal(batchSize, report.Parked);
            reports.Add(report);
        }
        finally
        {
            cosmos.Up();
            storage.Up();
        }

        Assert.True(logs.Count("LogParkingFailed") > 0, "parking never failed: the double outage did not bite");
        reports.Add(await backbone.IngestAsync(Batch(run, 2, batchSize)));

        var replay = await backbone.Get<ParkedBatchReplayer>().ReplayAsync(CancellationToken.None);
        Assert.Null(replay.Error);
        Assert.Equal((reports.Sum(report => report.Parked), 0), (replay.Events, replay.Remaining));
        await AssertEveryEventOnceAsync(backbone, run, 3 * batchSize);
    }

    private Task<Backbone> StartBackboneAsync(LogRecorder logs, Dictionary<string, string?> settings) =>
        Backbone.StartAsync(servers, services => services
            .AddLogging(logging => logging.AddProvider(logs))
            .AddSingleton<RecordingWorkflowClient>()
            .AddSingleton<IWorkflowClient>(provider => provider.GetRequiredService<RecordingWorkflowClient>())
            .AddSingleton<IEventPublisher, RecordingEventPublisher>()
            // The reactions both hosts register: they read the store directory and the rules from Tables.
            .AddSingleton<IIngestReaction, PickupOrderReaction>()
            .AddSingleton<IIngestReaction, RemarketingReaction>(), settings);

    /// <summary>
    /// One batch of a run: a pickup order, stock +1 on one of 10 SKUs for every fifth event, known customers' product
    /// views (remarketing signals) and anonymous ones.
    /// </summary>
    private static List<JsonObject> Batch(string run, int batch, int size) => Enumerable.Range(0, size).Select(index =>
    {
        var n = (batch * size) + index;
        return index == 1 ? PickupOrder(run, batch, n)
            : n % 5 == 0 ? InventoryAdjusted($"{run}-{n}", n / 100, "0001", $"SKU-{run}-{n / 5 % Skus}", 1)
            : n % 50 == 3 ? Viewed($"{run}-{n}", n / 100, "SKU-VIEW", customerId: $"c-{run}-{n % 20}")
            : Viewed($"{run}-{n}", n / 100, "SKU-VIEW", deviceId: $"dev-{run}-{n % 40}");
    }).ToList();

    private static string OrderId(string run, int batch) => $"O-{run}-{batch}";

    private static JsonObject PickupOrder(string run, int batch, int n) => Event($"{run}-{n}", "omni.order.placed", n / 100, "app", new JsonObject
    {
        ["orderid"] = OrderId(run, batch),
        ["fulfilment"] = "pickup",
        ["storeid"] = "0001",
        ["lines"] = new JsonArray(new JsonObject { ["sku"] = "SKU-VIEW", ["quantity"] = 1, ["price"] = "5.00" }),
    }, customerId: $"c-{run}-{batch}", source: "/app/ios");

    private static async Task AssertEveryEventOnceAsync(Backbone backbone, string run, int events)
    {
        var ids = (await backbone.ReadAllAsync(CosmosContainers.Events.Name)).Select(document => document.GetProperty("eventId").GetString()!).Where(id => id.StartsWith(run, StringComparison.Ordinal)).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(events, ids.Count);
        for (var sku = 0; sku < Skus; sku++)
        {
            var item = await backbone.Get<IInventoryStore>().ReadAsync("0001", $"SKU-{run}-{sku}", CancellationToken.None);
            Assert.Equal(events / 5 / Skus, item!.Value.OnHand);
        }
    }

    private static async Task<long> EventsCountedTodayAsync(Backbone backbone)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var counters = await backbone.Get<IInsightsReader>().ReadAsync(today.AddDays(-1), today, CancellationToken.None);
        return counters.Where(counter => counter.Metric.Name == OmniChannel.Core.Insights.InsightMetric.EventsName).Sum(counter => counter.Count);
    }

    private static string? Dependency(System.Text.Json.JsonElement health, string name) =>
        health.GetProperty("dependencies").EnumerateArray().Single(dependency => dependency.GetProperty("name").GetString() == name).GetProperty("status").GetString();
}
