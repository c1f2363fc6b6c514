using OmniChannel.Azure.Cosmos;
using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Core.Ingest;
using OmniChannel.Core.Ports;
using OmniChannel.TestSupport.Faults;
using static OmniChannel.Azure.IntegrationTests.Fixtures.Events;

namespace OmniChannel.Azure.IntegrationTests.Ingest;

/// <summary>
/// Cosmos DB unreachable for 30 s in the middle of a 5,000-event run, behind a fault proxy (the protocol server keeps
/// its in-memory data, as the real service would): batches retry, then park in blob storage (Azurite); a replay
/// afterwards applies them. Every event ends in Cosmos exactly once, and the stock it moved moved exactly once.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class CosmosOutageTests(ServersFixture servers)
{
    private const int Batches = 10;
    private const int BatchSize = 500;
    private const int Skus = 10;

    [Fact]
    public async Task CosmosDownFor30Seconds_DuringA5000EventRun_EveryEventEndsInCosmosExactlyOnce()
    {
        await using var proxy = new TcpFaultProxy(servers.Cosmos.Endpoint.Port);
        await using var backbone = await Backbone.StartAsync(servers, settings: new Dictionary<string, string?>
        {
            ["OmniChannel:Cosmos:AccountEndpoint"] = $"https://127.0.0.1:{proxy.Port}/",
            ["OmniChannel:Ingest:ParkAfter"] = "00:00:08",
            ["OmniChannel:Ingest:MaxTransientBackoff"] = "00:00:01",
        });
        var run = Guid.NewGuid().ToString("N")[..6];

        // Every fifth event moves one unit of stock (+1 on one of 10 SKUs); the others are product views by 40 devices.
        var batches = Enumerable.Range(0, Batches).Select(batch => Enumerable.Range(0, BatchSize).Select(index =>
        {
            var n = (batch * BatchSize) + index;
            return n % 5 == 0
                ? InventoryAdjusted($"{run}-{n}", n / 100, "0001", $"SKU-{run}-{n / 5 % Skus}", 1)
                : Viewed($"{run}-{n}", n / 100, "SKU-VIEW", deviceId: $"dev-{run}-{n % 40}");
        }).ToList()).ToList();

        var reports = new List<IngestReport>();
        Task outage = Task.CompletedTask;
        try
        {
            for (var batch = 0; batch < Batches; batch++)
            {
                if (batch == 3)
                {
                    proxy.Down();
                    outage = Task.Delay(TimeSpan.FromSeconds(30)).ContinueWith(_ => proxy.Up(), TaskScheduler.Default);
                }

                reports.Add(await backbone.IngestAsync(batches[batch]));
            }

            await outage;
        }
        finally
        {
            // Whatever failed, the backbone's clean-up needs Cosmos DB reachable (and the failure must not be masked).
            proxy.Up();
        }

        var parked = reports.Sum(report => report.Parked);
        Assert.True(parked > 0, "no batch was parked: the outage did not bite");

        var health = await backbone.HealthAsync();
        Assert.True(health.GetProperty("parkedBatches").GetInt32() > 0);
        Assert.Contains("POST /api/admin/parked/replay", health.GetProperty("attention").GetString(), StringComparison.Ordinal);

        var replay = await backbone.Get<ParkedBatchReplayer>().ReplayAsync(CancellationToken.None);
        Assert.Null(replay.Error);
        Assert.Equal((parked, 0), (replay.Events, replay.Remaining));
        Assert.Equal(0, (await backbone.HealthAsync()).GetProperty("parkedBatches").GetInt32());

        var ids = (await backbone.ReadAllAsync(CosmosContainers.Events.Name)).Select(document => document.GetProperty("eventId").GetString()!).Where(id => id.StartsWith(run, StringComparison.Ordinal)).ToList();
        Assert.Equal(Batches * BatchSize, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        for (var sku = 0; sku < Skus; sku++)
        {
            var item = await backbone.Get<IInventoryStore>().ReadAsync("0001", $"SKU-{run}-{sku}", CancellationToken.None);
            Assert.Equal(Batches * BatchSize / 5 / Skus, item!.Value.OnHand);
        }
    }
}
