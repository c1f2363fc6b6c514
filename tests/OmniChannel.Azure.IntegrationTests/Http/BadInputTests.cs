using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Core;
using static OmniChannel.Azure.IntegrationTests.Fixtures.Events;

namespace OmniChannel.Azure.IntegrationTests.Http;

/// <summary>Malformed requests against the real collect route: each gets a 4xx problem+json that names what is wrong, and nothing is published or stored.</summary>
[Collection(ServersCollection.Name)]
public sealed class BadInputTests(ServersFixture servers)
{
    private const string StructuredType = "application/cloudevents+json";
    private const string BatchType = "application/cloudevents-batch+json";

    private sealed record BadRequest(string Name, Func<HttpRequestMessage> Build, HttpStatusCode Status, string? Field, int? Index = null);

    [Fact]
    public async Task Collect_EachMalformedRequest_Answers4xxProblemNamingTheFault_AndNothingIsStored()
    {
        var cases = Cases();
        Assert.True(cases.Count >= 30, $"the suite has {cases.Count} cases");
        Assert.Equal(cases.Count, cases.Select(c => c.Name).Distinct().Count());
        await using var host = await HttpBackbone.StartAsync(servers);

        var failures = new List<string>();
        foreach (var badRequest in cases)
        {
            using var request = badRequest.Build();
            using var response = await host.Client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json" ? JsonDocument.Parse(body).RootElement : default;
            if (response.StatusCode != badRequest.Status)
            {
                failures.Add($"{badRequest.Name}: expected {(int)badRequest.Status}, got {(int)response.StatusCode} {body}");
            }
            else if (problem.ValueKind != JsonValueKind.Object || problem.GetProperty("status").GetInt32() != (int)badRequest.Status
                     || string.IsNullOrEmpty(problem.GetProperty("title").GetString()) || string.IsNullOrEmpty(problem.GetProperty("detail").GetString()))
            {
                failures.Add($"{badRequest.Name}: not a complete problem+json: {response.Content.Headers.ContentType} {body}");
            }
            else if (badRequest.Field is not null && !NamesField(problem, badRequest.Field, badRequest.Index))
            {
                failures.Add($"{badRequest.Name}: the problem does not name field '{badRequest.Field}'{(badRequest.Index is null ? string.Empty : $" at index {badRequest.Index}")}: {body}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(0, host.Publisher.Published);
        Assert.Empty(await host.Backbone.ReadAllAsync(OmniChannelNames.Containers.Events));
        Assert.Empty(await host.Backbone.ReadAllAsync(OmniChannelNames.Containers.Profiles));
    }

    private static bool NamesField(JsonElement problem, string field, int? index) =>
        problem.TryGetProperty("errors", out var errors)
        && errors.EnumerateArray().Any(error => error.GetProperty("field").GetString() == field
                                                && (index is null || error.GetProperty("index").GetInt32() == index));

    private static List<BadRequest> Cases()
    {
        var cases = new List<BadRequest>
        {
            new("structured body is not JSON", () => Raw("{\"id\": ", StructuredType), HttpStatusCode.BadRequest, null),
            new("structured body is an array", () => Raw("[]", StructuredType), HttpStatusCode.BadRequest, null),
            new("structured body is empty", () => Raw(string.Empty, StructuredType), HttpStatusCode.BadRequest, null),
            new("batch body is an object", () => Raw(Valid().ToJsonString(), BatchType), HttpStatusCode.BadRequest, null),
            new("batch is empty", () => Raw("[]", BatchType), HttpStatusCode.BadRequest, null),
            new("content type text/plain", () => Raw(Valid().ToJsonString(), "text/plain"), HttpStatusCode.UnsupportedMediaType, null),
            new("no content type and no ce headers", () => new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Valid().ToJsonString())) }, HttpStatusCode.UnsupportedMediaType, null),
            new("batch of 501 events", () => BatchOf(Enumerable.Range(0, 501).Select(i => With(Valid(), "id", $"e-{i}")).ToArray()), HttpStatusCode.RequestEntityTooLarge, null),
            new("body over 1 MiB", () => BatchOf(Enumerable.Range(0, 300).Select(i => With(With(Valid(), "id", $"big-{i}"), "subject", new string('x', 4000))).ToArray()), HttpStatusCode.RequestEntityTooLarge, null),
            new("missing id", () => Structured(Without(Valid(), "id")), HttpStatusCode.BadRequest, "id"),
            new("id is a number", () => Structured(With(Valid(), "id", 42)), HttpStatusCode.BadRequest, "id"),
            new("missing source", () => Structured(Without(Valid(), "source")), HttpStatusCode.BadRequest, "source"),
            new("missing type", () => Structured(Without(Valid(), "type")), HttpStatusCode.BadRequest, "type"),
            new("unknown type", () => Structured(With(Valid(), "type", "omni.product.liked")), HttpStatusCode.BadRequest, "type"),
            new("specversion 0.3", () => Structured(With(Valid(), "specversion", "0.3")), HttpStatusCode.BadRequest, "specversion"),
            new("missing specversion", () => Structured(Without(Valid(), "specversion")), HttpStatusCode.BadRequest, "specversion"),
            new("missing time", () => Structured(Without(Valid(), "time")), HttpStatusCode.BadRequest, "time"),
            new("time is not RFC 3339", () => Structured(With(Valid(), "time", "yesterday")), HttpStatusCode.BadRequest, "time"),
            new("time far in the future", () => Structured(With(Valid(), "time", DateTimeOffset.UtcNow.AddDays(2).ToString("O"))), HttpStatusCode.BadRequest, "time"),
            new("missing channel", () => Structured(Without(Valid(), "channel")), HttpStatusCode.BadRequest, "channel"),
            new("unknown channel", () => Structured(With(Valid(), "channel", "fax")), HttpStatusCode.BadRequest, "channel"),
            new("no identity", () => Structured(Without(Valid(), "deviceid")), HttpStatusCode.BadRequest, "customerid"),
            new("email address instead of its hash", () => Structured(With(Valid(), "emailhash", "ann@example.com")), HttpStatusCode.BadRequest, "emailhash"),
            new("customer id with a control character", () => Structured(With(Valid(), "customerid", "c-\u0001")), HttpStatusCode.BadRequest, "customerid"),
            new("data missing", () => Structured(Without(Valid(), "data")), HttpStatusCode.BadRequest, "data"),
            new("data is a string", () => Structured(With(Valid(), "data", "SKU-1")), HttpStatusCode.BadRequest, "data"),
            new("viewed without sku", () => Structured(Event("v", "omni.product.viewed", 1, "web", new JsonObject(), deviceId: "d")), HttpStatusCode.BadRequest, "data.sku"),
            new("sku of 200 characters", () => Structured(Viewed("v", 1, new string('S', 200), deviceId: "d")), HttpStatusCode.BadRequest, "data.sku"),
            new("cart price as a float", () => Structured(Cart(new JsonObject { ["sku"] = "S", ["quantity"] = 1, ["price"] = 9.99 })), HttpStatusCode.BadRequest, "data.price"),
            new("cart quantity zero", () => Structured(Cart(new JsonObject { ["sku"] = "S", ["quantity"] = 0, ["price"] = "9.99" })), HttpStatusCode.BadRequest, "data.quantity"),
            new("cart quantity a word", () => Structured(Cart(new JsonObject { ["sku"] = "S", ["quantity"] = "two", ["price"] = "9.99" })), HttpStatusCode.BadRequest, "data.quantity"),
            new("pickup order without store", () => Structured(Order(new JsonObject { ["orderid"] = "o", ["fulfilment"] = "pickup", ["lines"] = Lines("9.99") })), HttpStatusCode.BadRequest, "data.storeid"),
            new("order fulfilment by drone", () => Structured(Order(new JsonObject { ["orderid"] = "o", ["fulfilment"] = "drone", ["lines"] = Lines("9.99") })), HttpStatusCode.BadRequest, "data.fulfilment"),
            new("order without lines", () => Structured(Order(new JsonObject { ["orderid"] = "o", ["fulfilment"] = "ship", ["lines"] = new JsonArray() })), HttpStatusCode.BadRequest, "data.lines"),
            new("order line price as a float", () => Structured(Order(new JsonObject { ["orderid"] = "o", ["fulfilment"] = "ship", ["lines"] = Lines(12.5) })), HttpStatusCode.BadRequest, "data.lines[0].price"),
            new("pos sale without store", () => Structured(Event("s", "omni.pos.sale", 1, "pos", new JsonObject { ["lines"] = Lines("1.00") }, customerId: "c")), HttpStatusCode.BadRequest, "data.storeid"),
            new("inventory delta zero", () => Structured(InventoryAdjusted("a", 1, "0001", "S", 0)), HttpStatusCode.BadRequest, "data.delta"),
            new("geofence latitude 123", () => Structured(Event("g", "omni.geofence.entered", 1, "app", new JsonObject { ["storeid"] = "0001", ["lat"] = 123, ["lon"] = 0 }, deviceId: "d")), HttpStatusCode.BadRequest, "data.lat"),
            new("consent maybe", () => Structured(Event("k", "omni.consent.changed", 1, "app", new JsonObject { ["marketing"] = "maybe" }, customerId: "c")), HttpStatusCode.BadRequest, "data.marketing"),
            new("identified with one identity", () => Structured(Event("i", "omni.customer.identified", 1, "web", new JsonObject(), deviceId: "d")), HttpStatusCode.BadRequest, "data"),
            new("abandoned cart without skus", () => Structured(Event("a", "omni.cart.abandoned", 1, "web", new JsonObject { ["skus"] = new JsonArray() }, deviceId: "d")), HttpStatusCode.BadRequest, "data.skus"),
            new("binary mode with a text body", () => Binary("plain text", "text/plain", ("ce-id", "b")), HttpStatusCode.UnsupportedMediaType, null),
            new("binary mode without ce-id", () => Binary("{\"sku\":\"S\"}", "application/json"), HttpStatusCode.BadRequest, "id"),
            new("binary mode specversion 2.0", () => Binary("{\"sku\":\"S\"}", "application/json", ("ce-id", "b"), ("ce-specversion", "2.0")), HttpStatusCode.BadRequest, "specversion"),
            new("batch with a duplicate id", () => BatchOf(Valid(), Valid()), HttpStatusCode.BadRequest, "id", 1),
            new("batch with one bad event among good ones", () => BatchOf(With(Valid(), "id", "good-1"), With(Valid(), "channel", "fax"), With(Valid(), "id", "good-2")), HttpStatusCode.BadRequest, "channel", 1),
            new("batch item is a number", () => Raw("[42]", BatchType), HttpStatusCode.BadRequest, "event", 0),
        };
        return cases;
    }

    private static JsonObject Valid() => Viewed("e-1", 1, "SKU-1", deviceId: "d-1");

    private static JsonObject Cart(JsonObject data) => Event("c", "omni.cart.item_added", 1, "web", data, deviceId: "d");

    private static JsonObject Order(JsonObject data) => Event("o", "omni.order.placed", 1, "web", data, customerId: "c");

    private static JsonArray Lines(JsonNode price) => [new JsonObject { ["sku"] = "S", ["quantity"] = 1, ["price"] = price }];

    private static JsonObject With(JsonObject cloudEvent, string name, JsonNode? value)
    {
        cloudEvent[name] = value;
        return cloudEvent;
    }

    private static JsonObject Without(JsonObject cloudEvent, string name)
    {
        cloudEvent.Remove(name);
        return cloudEvent;
    }

    private static HttpRequestMessage Raw(string body, string contentType) =>
        new(HttpMethod.Post, "/api/events") { Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue(contentType)) };

    private static HttpRequestMessage Structured(JsonObject cloudEvent) => Raw(cloudEvent.ToJsonString(), StructuredType);

    private static HttpRequestMessage BatchOf(params JsonObject[] cloudEvents) =>
        Raw(new JsonArray(cloudEvents.Select(e => (JsonNode)e).ToArray()).ToJsonString(), BatchType);

    private static HttpRequestMessage Binary(string body, string contentType, params (string Name, string Value)[] overrides)
    {
        var request = Raw(body, contentType);
        var headers = new Dictionary<string, string>
        {
            ["ce-specversion"] = "1.0",
            ["ce-source"] = "/app/ios",
            ["ce-type"] = "omni.product.viewed",
            ["ce-time"] = At(1).ToString("O"),
            ["ce-channel"] = "app",
            ["ce-deviceid"] = "d-1",
        };
        foreach (var (name, value) in overrides)
        {
            headers[name] = value;
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        return request;
    }
}
