using System.Text.Json.Nodes;

namespace OmniChannel.Azure.IntegrationTests.Fixtures;

/// <summary>Small builders of structured-mode CloudEvents for the tests.</summary>
public static class Events
{
    private static readonly DateTimeOffset Morning = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset At(int minute) => Morning.AddMinutes(minute);

    public static JsonObject Event(string id, string type, int minute, string channel, JsonObject data, string? deviceId = null, string? customerId = null, string source = "/web")
    {
        var cloudEvent = new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = id,
            ["source"] = source,
            ["type"] = type,
            ["time"] = At(minute).ToString("O"),
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

    public static JsonObject Viewed(string id, int minute, string sku, string? deviceId = null, string? customerId = null) =>
        Event(id, "omni.product.viewed", minute, "web", new JsonObject { ["sku"] = sku }, deviceId, customerId);

    public static JsonObject Identified(string id, int minute, string customerId, string deviceId) =>
        Event(id, "omni.customer.identified", minute, "web", new JsonObject { ["customerid"] = customerId, ["deviceid"] = deviceId }, deviceId, customerId);

    public static JsonObject InventoryAdjusted(string id, int minute, string storeId, string sku, int delta) =>
        Event(id, "omni.inventory.adjusted", minute, "pos", new JsonObject { ["storeid"] = storeId, ["sku"] = sku, ["delta"] = delta, ["reason"] = "receiving" }, source: $"/pos/store/{storeId}");

    public static JsonObject PosSale(string id, int minute, string storeId, string customerId, params (string Sku, int Quantity)[] lines) =>
        Event(id, "omni.pos.sale", minute, "pos", new JsonObject
        {
            ["storeid"] = storeId,
            ["lines"] = new JsonArray(lines.Select(line => (JsonNode)new JsonObject { ["sku"] = line.Sku, ["quantity"] = line.Quantity, ["price"] = "9.99" }).ToArray()),
        }, customerId: customerId, source: $"/pos/store/{storeId}");

    public static JsonObject ConsentChanged(string id, int minute, string customerId, string marketing) =>
        Event(id, "omni.consent.changed", minute, "app", new JsonObject { ["marketing"] = marketing }, customerId: customerId, source: "/app/ios");
}
