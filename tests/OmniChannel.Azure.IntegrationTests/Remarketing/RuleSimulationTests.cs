using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Remarketing;
using OmniChannel.Core.Stores;
using static OmniChannel.Azure.IntegrationTests.Fixtures.Events;

namespace OmniChannel.Azure.IntegrationTests.Remarketing;

/// <summary>A rule's simulation over events ingested into the real Cosmos protocol server, with customers and stock from ingest.</summary>
[Collection(ServersCollection.Name)]
public sealed class RuleSimulationTests(ServersFixture servers)
{
    // A window of its own (September), so other tests' events in the shared containers stay out of it.
    private const int Start = -100_000;

    // The device-only test's window: ten days after the one above.
    private const int DeviceStart = Start + 14_400;

    // The closed-store test's window: ten days after that.
    private const int ClosedStart = DeviceStart + 14_400;

    [Fact]
    public async Task Simulate_GeofenceRule_FiresForTheConsentingBrowserAndSaysWhyNotForTheOthers()
    {
        await using var host = await HttpBackbone.StartAsync(servers);
        var store = await SeedStoresAsync(host);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        string browser = "sim-a-" + suffix, silent = "sim-b-" + suffix, sku = "SKU-SIM-" + suffix;
        await host.Backbone.IngestAsync(
        [
            InventoryAdjusted("inv-" + suffix, Start, store.Id, sku, 5),
            ConsentChanged("consent-" + suffix, Start + 1, browser, "granted"),
            Viewed("view-a-" + suffix, Start + 2, sku, customerId: browser),
            Viewed("view-b-" + suffix, Start + 2, sku, customerId: silent),
            Geofence("geo-a-" + suffix, Start + 10, store, browser, null),
            Geofence("geo-b-" + suffix, Start + 11, store, silent, null),
            Geofence("geo-anon-" + suffix, Start + 12, store, null, "device-" + suffix),
        ]);
        var (simulation, results) = await SimulateSeededStyleRuleAsync(host, "sim-" + suffix, Start);

        Assert.Equal(3, simulation.GetProperty("signals").GetInt32());
        Assert.Equal(1, simulation.GetProperty("wouldFire").GetInt32());
        Assert.True(results["geo-a-" + suffix].GetProperty("wouldFire").GetBoolean(), results["geo-a-" + suffix].GetProperty("reason").GetString());
        Assert.Equal(store.Id, results["geo-a-" + suffix].GetProperty("storeId").GetString());
        Assert.Contains("consent", results["geo-b-" + suffix].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("anonymous", results["geo-anon-" + suffix].GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_GeofenceWithOnlyTheDeviceOfASignedInCustomer_WouldFireForThatCustomer()
    {
        await using var host = await HttpBackbone.StartAsync(servers);
        var store = await SeedStoresAsync(host);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        string customer = "sim-app-" + suffix, device = "phone-" + suffix, sku = "SKU-APP-" + suffix;
        await host.Backbone.IngestAsync(
        [
            InventoryAdjusted("inv-" + suffix, DeviceStart, store.Id, sku, 5),
            Identified("sign-in-" + suffix, DeviceStart + 1, customer, device),
            ConsentChanged("consent-" + suffix, DeviceStart + 2, customer, "granted"),
            Viewed("view-" + suffix, DeviceStart + 3, sku, customerId: customer),
        ]);

        // Later, the phone enters the geofence: location SDKs send the device id only.
        await host.Backbone.IngestAsync([Geofence("geo-device-" + suffix, DeviceStart + 10, store, null, device)]);
        var (simulation, results) = await SimulateSeededStyleRuleAsync(host, "sim-device-" + suffix, DeviceStart);

        var verdict = results["geo-device-" + suffix];
        Assert.True(verdict.GetProperty("wouldFire").GetBoolean(), verdict.GetProperty("reason").GetString());
        Assert.Equal((customer, "device:" + device, store.Id), (verdict.GetProperty("customerId").GetString(), verdict.GetProperty("identifier").GetString(), verdict.GetProperty("storeId").GetString()));
        Assert.Equal(1, simulation.GetProperty("wouldFire").GetInt32());
    }

    [Fact]
    public async Task Simulate_RuleOnlyWhenStoreOpen_TheOnlyStoreNearbyClosed_SaysItIsClosedAndWhenItOpens()
    {
        await using var host = await HttpBackbone.StartAsync(servers);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        string customer = "sim-closed-" + suffix, sku = "SKU-CLOSED-" + suffix;

        // The Anchorage store (alone in the radius), for this test opening an hour after the signal on its clock.
        var seeded = StoreSeed.Generate()[22];
        var signalAt = StoreClock.Local(At(ClosedStart + 10), StoreClock.Zone(seeded.TimeZone));
        var day = new DayHours(TimeOnly.FromDateTime(signalAt).AddHours(1), TimeOnly.FromDateTime(signalAt).AddHours(2));
        var store = seeded with { OpeningHours = OpeningHours.Weekly(day, day) };
        var directory = host.Backbone.Get<IStoreDirectory>();
        await directory.UpsertAsync([store], CancellationToken.None);
        try
        {
            await host.Backbone.IngestAsync(
            [
                InventoryAdjusted("inv-" + suffix, ClosedStart, store.Id, sku, 5),
                ConsentChanged("consent-" + suffix, ClosedStart + 1, customer, "granted"),
                Viewed("view-" + suffix, ClosedStart + 2, sku, customerId: customer),
                Geofence("geo-closed-" + suffix, ClosedStart + 10, store, customer, null),
            ]);

            var (_, results) = await SimulateSeededStyleRuleAsync(host, "sim-closed-" + suffix, ClosedStart, rule => rule with { OnlyWhenStoreOpen = true });

            var verdict = results["geo-closed-" + suffix];
            Assert.False(verdict.GetProperty("wouldFire").GetBoolean());
            Assert.Contains("Store " + store.Id + " (" + store.Name + ") is closed at " + signalAt.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture) + " on its clock (opens ", verdict.GetProperty("reason").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            await directory.UpsertAsync([seeded], CancellationToken.None); // the directory as the other tests seed it
        }
    }

    [Fact]
    public async Task RecentSignals_AreFoundBehindMoreThanOnePageOfOtherChanges()
    {
        await using var host = await HttpBackbone.StartAsync(servers);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var store = StoreSeed.Generate()[0];

        // 2,500 other changes first (more than a change-feed page), then the one signal the window is about.
        foreach (var chunk in Enumerable.Range(0, 2_500).Chunk(500))
        {
            await host.Backbone.IngestAsync(chunk.Select(index => Viewed($"filler-{suffix}-{index}", 0, "SKU-FILL", deviceId: $"filler-{suffix}-{index % 50}")));
        }

        await host.Backbone.IngestAsync([Geofence("late-geo-" + suffix, 0, store, "late-" + suffix, null)]);

        var found = await host.Backbone.Get<IEventHistory>().ReadRecentAsync(["omni.geofence.entered"], At(-1), At(1), 100, CancellationToken.None);
        Assert.Contains(found, entry => entry.EventId == "late-geo-" + suffix);
    }

    [Fact]
    public async Task Simulate_BadWindowOrUnknownRule_AnswersProblems()
    {
        await using var host = await HttpBackbone.StartAsync(servers);

        var backwards = await host.Client.PostAsync("/api/remarketing/rules/any/simulate", Json(new JsonObject { ["from"] = "2026-11-25T10:00:00Z", ["to"] = "2026-11-25T09:00:00Z" }));
        var unknown = await host.Client.PostAsync("/api/remarketing/rules/no-such-rule/simulate", Json(new JsonObject()));

        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
        Assert.Equal("from", (await backwards.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    /// <summary>The generated stores in the directory; answers the first of them.</summary>
    private static async Task<Store> SeedStoresAsync(HttpBackbone host)
    {
        var stores = StoreSeed.Generate();
        await host.Backbone.Get<IStoreDirectory>().UpsertAsync(stores, CancellationToken.None);
        return stores[0];
    }

    /// <summary>
    /// Saves the seeded example rule (disabled, without quiet hours or journey stages, so the hour and the stage do
    /// not matter) as <paramref name="ruleId"/> and simulates it over an hour from <paramref name="start"/>; answers
    /// the simulation and its results by event id.
    /// </summary>
    private static async Task<(JsonElement Simulation, Dictionary<string, JsonElement> Results)> SimulateSeededStyleRuleAsync(HttpBackbone host, string ruleId, int start, Func<RemarketingRule, RemarketingRule>? change = null)
    {
        var rule = RuleSeed.Example with { Id = ruleId, Enabled = false, QuietHours = null, Conditions = RuleConditions.Any with { ViewedWithinDays = 14 } };
        rule = change?.Invoke(rule) ?? rule;
        Assert.Equal(HttpStatusCode.Created, (await host.Client.PutAsync($"/api/remarketing/rules/{ruleId}", Json(RuleJson.Write(rule)))).StatusCode);

        var response = await host.Client.PostAsync($"/api/remarketing/rules/{ruleId}/simulate", Json(new JsonObject
        {
            ["from"] = At(start).ToString("O"),
            ["to"] = At(start + 60).ToString("O"),
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var simulation = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (simulation, simulation.GetProperty("results").EnumerateArray().ToDictionary(result => result.GetProperty("eventId").GetString()!));
    }

    private static JsonObject Geofence(string id, int minute, Store store, string? customerId, string? deviceId) =>
        Event(id, "omni.geofence.entered", minute, "app", new JsonObject { ["storeid"] = store.Id, ["lat"] = store.Latitude, ["lon"] = store.Longitude }, deviceId, customerId, source: "/app/ios");

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}
