using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Core;
using OmniChannel.Core.Events;
using OmniChannel.Core.Ports;
using static OmniChannel.Azure.IntegrationTests.Fixtures.Events;

namespace OmniChannel.Azure.IntegrationTests.Http;

/// <summary>
/// The tracking plan over the real collect and operations routes, Cosmos DB and Azurite: a field the contract does not
/// know is rejected for a strict source and, for a lenient one, stored whole and listed for ops.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class TrackingPlanTests(ServersFixture servers)
{
    private static readonly Dictionary<string, string?> StrictPos = new() { ["OmniChannel:Contract:StrictSources:0"] = "/pos" };

    [Fact]
    public async Task LenientSource_UnknownField_IsAcceptedStoredWhole_AndListedOnTheViolationsRoute()
    {
        // Azurite's tables are shared by the tests of a run: this test's rows are those of its own source.
        await using var host = await HttpBackbone.StartAsync(servers, StrictPos);
        var source = "/web/tp-" + Guid.NewGuid().ToString("N")[..8];
        var first = Viewed("tp-1", 1, "SKU-1", deviceId: "d-tp");
        first["data"]!["colour"] = "red";
        var second = Viewed("tp-2", 7, "SKU-2", deviceId: "d-tp");
        second["data"]!["colour"] = "blue";
        var third = Viewed("tp-3", 8, "SKU-3", deviceId: "d-tp");
        foreach (var cloudEvent in new[] { first, second, third })
        {
            cloudEvent["source"] = source;
        }

        var accepted = await host.Client.PostAsync("/api/events", CollectApiTests.Structured(first));
        var acceptedToo = await host.Client.PostAsync("/api/events", CollectApiTests.Batch(second, third));

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, acceptedToo.StatusCode);
        var stored = await host.Backbone.ReadAllAsync(OmniChannelNames.Containers.Events);
        Assert.Equal(3, stored.Count);
        Assert.Contains(stored, document => document.GetProperty("data").TryGetProperty("colour", out var colour) && colour.GetString() == "red");

        var listed = await host.Client.GetFromJsonAsync<JsonElement>("/api/operations/violations?limit=1000");
        var row = Assert.Single(listed.GetProperty("violations").EnumerateArray(), row => row.GetProperty("source").GetString() == source);
        Assert.Equal(EventTypes.ProductViewed, row.GetProperty("type").GetString());
        Assert.Equal("data.colour", row.GetProperty("field").GetString());
        Assert.Equal("unplanned property", row.GetProperty("kind").GetString());
        Assert.Equal(At(1), row.GetProperty("firstSeen").GetDateTimeOffset());
        Assert.Equal(At(7), row.GetProperty("lastSeen").GetDateTimeOffset());
        Assert.Equal(2, row.GetProperty("count").GetInt64());
        Assert.Equal("tp-2", row.GetProperty("exampleEventId").GetString());
    }

    [Fact]
    public async Task StrictSource_UnknownField_IsRejectedWith400NamingTheField_AndNothingIsStored()
    {
        await using var host = await HttpBackbone.StartAsync(servers, StrictPos);
        var sale = PosSale("tp-s1", 1, "0042", "c-tp", ("SKU-1", 1));
        sale["data"]!["lines"]![0]!["colour"] = "red";

        var response = await host.Client.PostAsync("/api/events", CollectApiTests.Batch(InventoryAdjusted("tp-s0", 0, "0042", "SKU-1", 5), sale));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal(1, error.GetProperty("index").GetInt32());
        Assert.Equal("tp-s1", error.GetProperty("id").GetString());
        Assert.Equal("data.lines[0].colour", error.GetProperty("field").GetString());
        Assert.Equal("'colour' is not in the contract of omni.pos.sale (strict tracking plan for /pos).", error.GetProperty("message").GetString());
        Assert.Equal(0, host.Publisher.Published);
        Assert.Empty(await host.Backbone.ReadAllAsync(OmniChannelNames.Containers.Events));
        var listed = await host.Client.GetFromJsonAsync<JsonElement>("/api/operations/violations?limit=1000");
        Assert.DoesNotContain(listed.GetProperty("violations").EnumerateArray(), row => row.GetProperty("source").GetString() == "/pos/store/0042");
    }

    [Fact]
    public async Task TableStore_ManyConcurrentMergesIntoOneRow_CountEveryOne()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var store = backbone.Get<IPlanViolationStore>();
        var source = "/app/ios-" + Guid.NewGuid().ToString("N")[..8];

        await Task.WhenAll(Enumerable.Range(0, 20).Select(writer => store.RecordAsync(
            [new PlanViolation(source, EventTypes.OrderPlaced, "data.lines[].colour", PlanViolation.UnplannedProperty, At(writer), At(writer), 3, $"o-{writer}")],
            CancellationToken.None)));

        var row = Assert.Single(await store.ListAsync(1000, CancellationToken.None), row => row.Source == source);
        Assert.Equal(new PlanViolation(source, EventTypes.OrderPlaced, "data.lines[].colour", PlanViolation.UnplannedProperty, At(0), At(19), 60, "o-19"), row);
    }
}
