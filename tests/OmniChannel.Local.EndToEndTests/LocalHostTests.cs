using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OmniChannel.Local.EndToEndTests;

/// <summary>The local host started as a process, driven over HTTP, checked in its Cosmos protocol server.</summary>
public sealed class LocalHostTests : IAsyncLifetime
{
    private LocalHostProcess _host = null!;

    public async Task InitializeAsync() => _host = await LocalHostProcess.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Batch_500EventsOf50CustomersOn3Channels_EndsInCosmosExactlyOnce_AndARepeatChangesNothing()
    {
        var events = Traffic.Day("b", 50);
        Assert.Equal(500, events.Count);

        var response = await _host.Client.PostAsync("/api/events", Traffic.Batch(events));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await _host.WaitUntilIngestedAsync(500);

        var stored = await _host.ReadContainerAsync("events");
        Assert.Equal(events.Select(e => e["id"]!.GetValue<string>()).Order(), stored.Select(d => d.GetProperty("eventId").GetString()!).Order());
        Assert.Equal(["app", "pos", "web"], stored.Select(d => d.GetProperty("channel").GetString()!).Distinct().Order().ToArray());
        var profilesBefore = Normalise(await _host.ReadContainerAsync("profiles"));
        var inventoryBefore = Normalise(await _host.ReadContainerAsync("inventory"));

        var repeat = await _host.Client.PostAsync("/api/events", Traffic.Batch(events));
        Assert.Equal(HttpStatusCode.Accepted, repeat.StatusCode);
        await _host.WaitUntilIngestedAsync(1000);

        Assert.Equal(500, (await _host.ReadContainerAsync("events")).Count);
        Assert.Equal(profilesBefore, Normalise(await _host.ReadContainerAsync("profiles")));
        Assert.Equal(inventoryBefore, Normalise(await _host.ReadContainerAsync("inventory")));
        var stock = await _host.Client.GetFromJsonAsync<JsonElement>("/api/stores/0001/inventory/SKU-1");
        Assert.Equal(-50, stock.GetProperty("onHand").GetInt32());
    }

    [Fact]
    public async Task StitchedProfile_TimelineOverHttp_IncludesTheAnonymousEvents()
    {
        var events = Traffic.Day("s", 3);
        Assert.Equal(HttpStatusCode.Accepted, (await _host.Client.PostAsync("/api/events", Traffic.Batch(events))).StatusCode);
        await _host.WaitUntilIngestedAsync(events.Count);

        var customer = await _host.Client.GetFromJsonAsync<JsonElement>("/api/customers/s-c1");
        var timeline = await _host.Client.GetFromJsonAsync<JsonElement>("/api/customers/s-c1/events?limit=50");

        Assert.Equal("customer:s-c1", customer.GetProperty("profileId").GetString());
        Assert.Contains("device:s-d1", customer.GetProperty("identities").EnumerateArray().Select(i => i.GetString()));
        Assert.Equal("granted", customer.GetProperty("marketingConsent").GetString());
        var ids = timeline.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("eventId").GetString()).ToList();
        Assert.Equal(Enumerable.Range(1, 10).Reverse().Select(n => $"s-1-{n}"), ids);
    }

    [Fact]
    public async Task KillAfter202_ThenRestart_NothingAcknowledgedIsLost()
    {
        var events = Traffic.Day("k", 40);
        var accepted = await _host.Client.PostAsync("/api/events", Traffic.Batch(events));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        // Crash right after the 202: the in-memory Cosmos server dies with the host, the event log in Azurite remains.
        await _host.KillAsync();
        await _host.StartProcessAsync();
        await _host.WaitUntilIngestedAsync(events.Count);

        var stored = await _host.ReadContainerAsync("events");
        Assert.Equal(events.Select(e => e["id"]!.GetValue<string>()).Order(), stored.Select(d => d.GetProperty("eventId").GetString()!).Order());
        var customer = await _host.Client.GetFromJsonAsync<JsonElement>("/api/customers/k-c7");
        Assert.Equal("granted", customer.GetProperty("marketingConsent").GetString());
    }

    [Fact]
    public async Task KilledInTheMiddleOfA5000EventRun_EveryAcknowledgedEventIsStoredOnce()
    {
        var events = Traffic.Day("m", 500);
        Assert.True(events.Count >= 4_000, $"a day of 500 customers made only {events.Count} events");
        var acknowledged = new List<string>();
        var sending = Task.Run(async () =>
        {
            foreach (var batch in events.Chunk(250))
            {
                try
                {
                    using var response = await _host.Client.PostAsync("/api/events", Traffic.Batch(batch));
                    if (response.StatusCode == HttpStatusCode.Accepted)
                    {
                        lock (acknowledged)
                        {
                            acknowledged.AddRange(batch.Select(e => e["id"]!.GetValue<string>()));
                        }
                    }
                }
                catch (HttpRequestException)
                {
                    // The host is gone: this batch was never acknowledged, and nor are the ones after it.
                }
            }
        });

        int Acknowledged()
        {
            lock (acknowledged)
            {
                return acknowledged.Count;
            }
        }

        // Crash (SIGKILL) once a third of the run is acknowledged, with requests in flight.
        while (!sending.IsCompleted && Acknowledged() < events.Count / 3)
        {
            await Task.Delay(10);
        }

        await _host.KillAsync();
        await sending;
        await _host.StartProcessAsync();
        await _host.WaitUntilIngestedAsync(acknowledged.Count);

        var stored = (await _host.ReadContainerAsync("events")).Select(d => d.GetProperty("eventId").GetString()!).ToList();
        Assert.InRange(acknowledged.Count, events.Count / 3, events.Count - 1);
        Assert.Equal(stored.Count, stored.Distinct(StringComparer.Ordinal).Count());
        Assert.Empty(acknowledged.Except(stored, StringComparer.Ordinal));
    }

    private static string Normalise(List<JsonElement> documents) =>
        string.Join("\n", documents
            .Select(document =>
            {
                var node = System.Text.Json.Nodes.JsonNode.Parse(document.GetRawText())!.AsObject();
                foreach (var system in new[] { "_etag", "_ts", "_rid", "_self", "_attachments", "_lsn" })
                {
                    node.Remove(system);
                }

                return node.ToJsonString();
            })
            .Order(StringComparer.Ordinal));
}
