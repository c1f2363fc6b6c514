using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Core;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Stores;
using static OmniChannel.Azure.IntegrationTests.Fixtures.Events;

namespace OmniChannel.Azure.IntegrationTests.Http;

[Collection(ServersCollection.Name)]
public sealed class CollectApiTests(ServersFixture servers)
{
    [Fact]
    public async Task Post_StructuredEvent_Answers202AndTheCustomerAppearsOverHttp()
    {
        await using var host = await HttpBackbone.StartAsync(servers);

        var response = await host.Client.PostAsync("/api/events", Structured(Viewed("h1", 1, "SKU-1", customerId: "c-h1")));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, accepted.GetProperty("accepted").GetInt32());
        Assert.Equal("h1", accepted.GetProperty("ids")[0].GetString());
        var customer = await host.Client.GetFromJsonAsync<JsonElement>("/api/customers/c-h1");
        Assert.Equal("customer:c-h1", customer.GetProperty("profileId").GetString());
        Assert.Equal("browsing", customer.GetProperty("journeyStage").GetString());
    }

    [Fact]
    public async Task Post_BinaryModeEvent_Answers202WithAttributesFromHeaders()
    {
        await using var host = await HttpBackbone.StartAsync(servers);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events")
        {
            Content = new StringContent("""{"sku":"SKU-B","quantity":2,"price":"19.90"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("ce-specversion", "1.0");
        request.Headers.Add("ce-id", "b-1");
        request.Headers.Add("ce-source", "/app/android");
        request.Headers.Add("ce-type", "omni.cart.item_added");
        request.Headers.Add("ce-time", At(3).ToString("O"));
        request.Headers.Add("ce-channel", "app");
        request.Headers.Add("ce-deviceid", "d-b1");

        var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var customer = await host.Client.GetFromJsonAsync<JsonElement>("/api/customers/device:d-b1");
        Assert.Equal("cart", customer.GetProperty("journeyStage").GetString());
        Assert.Equal("app", customer.GetProperty("lastChannel").GetString());
    }

    [Fact]
    public async Task Post_BatchWithTraceParent_EveryStoredEventCarriesTheTraceContext()
    {
        await using var host = await HttpBackbone.StartAsync(servers);
        await host.Backbone.Get<IStoreDirectory>().UpsertAsync(StoreSeed.Generate(60), CancellationToken.None);
        const string traceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events")
        {
            Content = Batch(Viewed("t1", 1, "S1", deviceId: "d-t"), Viewed("t2", 2, "S2", deviceId: "d-t"), InventoryAdjusted("t3", 3, "0003", "S1", 5)),
        };
        request.Headers.Add("traceparent", traceParent);

        var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var stored = await host.Backbone.ReadAllAsync(OmniChannelNames.Containers.Events);
        Assert.Equal(3, stored.Count);
        Assert.All(stored, document => Assert.Contains("4bf92f3577b34da6a3ce929d0e0e4736", document.GetProperty("traceParent").GetString(), StringComparison.Ordinal));
        var stock = await host.Client.GetFromJsonAsync<JsonElement>("/api/stores/0003/inventory/S1");
        Assert.Equal(5, stock.GetProperty("onHand").GetInt32());
    }

    [Fact]
    public async Task StoreRoutes_SeededDirectory_ListGetWithOpeningHoursInventoryAndNotFound()
    {
        await using var host = await HttpBackbone.StartAsync(servers);
        await host.Backbone.Get<IStoreDirectory>().UpsertAsync(StoreSeed.Generate(60), CancellationToken.None);
        await host.Client.PostAsync("/api/events", Structured(InventoryAdjusted("inv1", 1, "0004", "SKU-X", 12)));

        var stores = await host.Client.GetFromJsonAsync<JsonElement>("/api/stores");
        var store = await host.Client.GetFromJsonAsync<JsonElement>("/api/stores/0004");
        var stock = await host.Client.GetFromJsonAsync<JsonElement>("/api/stores/0004/inventory/SKU-X");
        var missing = await host.Client.GetAsync("/api/stores/9999");

        Assert.Equal(60, stores.GetArrayLength());
        Assert.Equal("0004", store.GetProperty("id").GetString());
        var hours = store.GetProperty("openingHours");
        Assert.Equal(("09:00", "21:00"), (hours.GetProperty("monday").GetProperty("opens").GetString(), hours.GetProperty("monday").GetProperty("closes").GetString()));
        Assert.Equal("10:00", hours.GetProperty("sunday").GetProperty("opens").GetString());
        Assert.All(stores.EnumerateArray(), listed => Assert.Equal(JsonValueKind.Object, listed.GetProperty("openingHours").ValueKind));
        Assert.Equal(12, stock.GetProperty("onHand").GetInt32());
        Assert.Equal(12, stock.GetProperty("available").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task GetCustomerEvents_BadLimitOrContinuation_Answers400ProblemNamingTheParameter()
    {
        await using var host = await HttpBackbone.StartAsync(servers);
        await host.Client.PostAsync("/api/events", Structured(Viewed("q1", 1, "S1", customerId: "c-q")));

        var badLimit = await host.Client.GetAsync("/api/customers/c-q/events?limit=0");
        var badToken = await host.Client.GetAsync("/api/customers/c-q/events?continuation=not-a-token");
        var unknown = await host.Client.GetAsync("/api/customers/nobody/events");

        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
        Assert.Contains("limit", await badLimit.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badToken.StatusCode);
        Assert.Contains("continuation", await badToken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Health_WithServersUp_ReportsEveryDependencyHealthy()
    {
        await using var host = await HttpBackbone.StartAsync(servers);

        var response = await host.Client.GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["cosmos", "tables"], body.GetProperty("dependencies").EnumerateArray().Select(d => d.GetProperty("name").GetString()!).Order().ToArray());
    }

    public static StringContent Structured(JsonObject cloudEvent) =>
        new(cloudEvent.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/cloudevents+json"));

    public static StringContent Batch(params JsonObject[] cloudEvents) =>
        new(new JsonArray(cloudEvents.Select(e => (JsonNode)e).ToArray()).ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/cloudevents-batch+json"));
}
