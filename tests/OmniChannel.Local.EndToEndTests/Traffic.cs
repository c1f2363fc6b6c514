using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace OmniChannel.Local.EndToEndTests;

/// <summary>Deterministic test traffic: per customer, anonymous browsing, a sign-in, known activity on the app and a POS sale.</summary>
public static class Traffic
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    /// <summary>10 events for each of <paramref name="customers"/> customers across web, app and POS; ids carry <paramref name="tag"/>.</summary>
    public static List<JsonObject> Day(string tag, int customers)
    {
        var events = new List<JsonObject>();
        for (var index = 0; index < customers; index++)
        {
            var device = $"{tag}-d{index}";
            var customer = $"{tag}-c{index}";
            var minute = index;
            events.Add(Event($"{tag}-{index}-1", "omni.product.viewed", minute + 1, "web", "/web", new JsonObject { ["sku"] = $"SKU-{index % 7}" }, deviceId: device));
            events.Add(Event($"{tag}-{index}-2", "omni.product.viewed", minute + 2, "web", "/web", new JsonObject { ["sku"] = $"SKU-{index % 5}" }, deviceId: device));
            events.Add(Event($"{tag}-{index}-3", "omni.cart.item_added", minute + 3, "web", "/web", new JsonObject { ["sku"] = "SKU-1", ["quantity"] = 1, ["price"] = "24.99" }, deviceId: device));
            events.Add(Event($"{tag}-{index}-4", "omni.customer.identified", minute + 4, "web", "/web", new JsonObject { ["customerid"] = customer, ["deviceid"] = device }, deviceId: device, customerId: customer));
            events.Add(Event($"{tag}-{index}-5", "omni.product.viewed", minute + 5, "app", "/app/ios", new JsonObject { ["sku"] = "SKU-9" }, customerId: customer));
            events.Add(Event($"{tag}-{index}-6", "omni.consent.changed", minute + 6, "app", "/app/ios", new JsonObject { ["marketing"] = "granted" }, customerId: customer));
            events.Add(Event($"{tag}-{index}-7", "omni.product.viewed", minute + 7, "app", "/app/ios", new JsonObject { ["sku"] = "SKU-2" }, customerId: customer));
            events.Add(Event($"{tag}-{index}-8", "omni.geofence.entered", minute + 8, "app", "/app/ios", new JsonObject { ["storeid"] = "0001", ["lat"] = 40.7128, ["lon"] = -74.006 }, customerId: customer));
            events.Add(Event($"{tag}-{index}-9", "omni.pos.sale", minute + 9, "pos", "/pos/store/0001",
                new JsonObject { ["storeid"] = "0001", ["lines"] = new JsonArray(new JsonObject { ["sku"] = "SKU-1", ["quantity"] = 1, ["price"] = "24.99" }) }, customerId: customer));
            events.Add(Event($"{tag}-{index}-10", "omni.product.viewed", minute + 10, "web", "/web", new JsonObject { ["sku"] = "SKU-3" }, deviceId: device));
        }

        return events;
    }

    public static StringContent Batch(IEnumerable<JsonObject> events) =>
        new(new JsonArray(events.Select(e => (JsonNode)e.DeepClone()).ToArray()).ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/cloudevents-batch+json"));

    private static JsonObject Event(string id, string type, int minute, string channel, string source, JsonObject data, string? deviceId = null, string? customerId = null)
    {
        var cloudEvent = new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = id,
            ["source"] = source,
            ["type"] = type,
            ["time"] = Start.AddMinutes(minute).ToString("O"),
            ["channel"] = channel,
            ["datacontenttype"] = "application/json",
            ["data"] = data,
        };
        if (deviceId is not null)
        {
            cloudEvent["deviceid"] = deviceId;
        }

        if (customerId is not null)
        {
            cloudEvent["customerid"] = customerId;
        }

        return cloudEvent;
    }
}
