using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OmniChannel.LocalServers;
using OmniChannel.TestSupport.Faults;

namespace OmniChannel.Local.EndToEndTests;

/// <summary>
/// The local host with its storage (Azurite: the Durable Task engine's queues and tables, the store directory, rules,
/// counters and parked batches) behind fault proxies, taken down for 30 s in the middle of a 5,000-event run while a
/// pickup order waits for its customer. The collect API does not need storage (the event log is on disk); ingest
/// retries in place; the engine resumes from its state in Azurite.
/// </summary>
public sealed class StorageOutageTests : IAsyncLifetime
{
    private readonly string _azuriteData = Path.Combine(Path.GetTempPath(), "omnichannel-e2e-azurite-" + Guid.NewGuid().ToString("N"));
    private AzuriteServer _azurite = null!;
    private StorageFaultProxy _storage = null!;
    private LocalHostProcess _host = null!;

    public async Task InitializeAsync()
    {
        // Azurite is started here, so the host finds it listening (behind the proxies) and uses it instead of its own.
        _azurite = await AzuriteServer.StartAsync(_azuriteData);
        _storage = new StorageFaultProxy(_azurite);
        _host = await LocalHostProcess.StartAsync(
            settings: new Dictionary<string, string>
            {
                ["AzuriteBlobPort"] = _storage.BlobPort.ToString(CultureInfo.InvariantCulture),
                ["AzuriteQueuePort"] = _storage.QueuePort.ToString(CultureInfo.InvariantCulture),
                ["AzuriteTablePort"] = _storage.TablePort.ToString(CultureInfo.InvariantCulture),
            },
            extraArguments: new Dictionary<string, string>
            {
                // Long enough that the order is still waiting for its customer when storage comes back.
                ["OmniChannel:Bopis:PickSla"] = "00:02:00",
                ["OmniChannel:Bopis:PickupWindow"] = "00:05:00",
                ["OmniChannel:Bopis:ReminderBeforeExpiry"] = "00:01:00",
            });
    }

    public async Task DisposeAsync()
    {
        _storage.Up();
        await _host.DisposeAsync();
        await _storage.DisposeAsync();
        await _azurite.DisposeAsync();
        try
        {
            Directory.Delete(_azuriteData, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the stopping server; the temp folder is cleaned by the OS.
        }
    }

    [Fact]
    public async Task StorageDownFor30Seconds_DuringA5000EventRun_EveryEventStoredOnce_AndAPickupOrderInFlightFinishes()
    {
        var driver = new BopisDriver(_host);
        await driver.PlaceReservedOrderAsync("S-1", "c-s1", "0004", "SKU-S", quantity: 2, stock: 5);
        await _host.Client.PostAsync("/api/stores/0004/orders/S-1/picked", null);
        await driver.WaitForStatusAsync("S-1", "ready");

        var events = Traffic.Day("s", 500);
        var statuses = new List<HttpStatusCode>();
        var sending = Task.Run(async () =>
        {
            foreach (var batch in events.Chunk(250))
            {
                using var response = await _host.Client.PostAsync("/api/events", Traffic.Batch(batch));
                lock (statuses)
                {
                    statuses.Add(response.StatusCode);
                }
            }
        });

        int Answered()
        {
            lock (statuses)
            {
                return statuses.Count;
            }
        }

        // Storage goes down a third of the way into the run, with requests in flight, and stays down 30 s.
        while (!sending.IsCompleted && Answered() < events.Count / 250 / 3)
        {
            await Task.Delay(10);
        }

        _storage.Down();
        await Task.Delay(TimeSpan.FromSeconds(30));
        _storage.Up();
        await sending;

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.Accepted, status));
        await _host.WaitUntilIngestedAsync(events.Count);
        Assert.True(_host.Output.Contains("Transient storage fault, retrying the batch", StringComparison.Ordinal), "ingest never met the outage:\n" + _host.Output);

        // A batch that failed past ParkAfter would be parked: applying it is part of recovering.
        var health = await _host.Client.GetFromJsonAsync<JsonElement>("/api/health");
        if (health.GetProperty("parkedBatches").GetInt32() > 0)
        {
            using var replay = await _host.Client.PostAsync("/api/admin/parked/replay", null);
            Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        }

        var expected = events.Select(e => e["id"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        var stored = (await _host.ReadContainerAsync("events")).Select(d => d.GetProperty("eventId").GetString()!).Where(expected.Contains).ToList();
        Assert.Equal(stored.Count, stored.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(expected.Count, stored.Count);

        // The workflow that waited through the outage takes the customer's collection and finishes.
        Assert.Equal(HttpStatusCode.Accepted, (await _host.Client.PostAsync("/api/stores/0004/orders/S-1/collected", null)).StatusCode);
        var done = await driver.WaitForStatusAsync("S-1", "collected", TimeSpan.FromMinutes(2));
        Assert.Equal("Completed", done.GetProperty("workflowStatus").GetString());
        var stock = await _host.Client.GetFromJsonAsync<JsonElement>("/api/stores/0004/inventory/SKU-S");
        Assert.Equal((3, 0), (stock.GetProperty("onHand").GetInt32(), stock.GetProperty("reserved").GetInt32()));
    }
}
