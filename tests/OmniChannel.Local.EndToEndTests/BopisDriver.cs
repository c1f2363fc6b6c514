using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OmniChannel.Local.EndToEndTests;

/// <summary>What a BOPIS test does over HTTP: stock a store, place orders, wait for an order to reach a status, look at the store's queue.</summary>
public sealed class BopisDriver(LocalHostProcess host)
{
    private readonly LocalHostProcess _host = host;

    public async Task StockAsync(string storeId, string sku, int quantity)
    {
        var time = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O");
        var cloudEvent = new JsonObject
        {
            ["specversion"] = "1.0", ["id"] = $"stock-{storeId}-{sku}", ["source"] = $"/pos/store/{storeId}", ["type"] = "omni.inventory.adjusted",
            ["time"] = time, ["channel"] = "pos",
            ["data"] = new JsonObject { ["storeid"] = storeId, ["sku"] = sku, ["delta"] = quantity, ["reason"] = "receiving" },
        };
        var response = await _host.Client.PostAsync("/api/events", new StringContent(cloudEvent.ToJsonString(), Encoding.UTF8, "application/cloudevents+json"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await _host.WaitUntilIngestedAsync(0);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await _host.Client.GetFromJsonAsync<JsonElement>($"/api/stores/{storeId}/inventory/{sku}")).GetProperty("onHand").GetInt32() < quantity)
        {
            Assert.True(DateTime.UtcNow < deadline, "stock never arrived");
            await Task.Delay(100);
        }
    }

    public async Task<JsonElement> WaitForStatusAsync(string orderId, string status, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        JsonElement order = default;
        while (DateTime.UtcNow < deadline)
        {
            order = await _host.Client.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}");
            if (order.GetProperty("order").GetProperty("status").GetString() == status
                && (status is "reserved" or "ready" || order.GetProperty("workflowStatus").GetString() == "Completed"))
            {
                return order;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Order {orderId} did not reach '{status}': {order}\n{_host.Output}");
    }

    /// <summary>Where the order stands in its store's pickup queue (awaitingPick, ready, overdue), or null when it is not in it.</summary>
    public async Task<string?> QueueStateAsync(string storeId, string orderId)
    {
        var queue = await _host.Client.GetFromJsonAsync<JsonElement>($"/api/stores/{storeId}/orders");
        return queue.GetProperty("orders").EnumerateArray()
            .Where(entry => entry.GetProperty("order").GetProperty("id").GetString() == orderId)
            .Select(entry => entry.GetProperty("queue").GetString())
            .SingleOrDefault();
    }

    /// <summary>The order's entry in its store's pickup queue, or null when it is not in it.</summary>
    public async Task<JsonElement?> QueueEntryAsync(string storeId, string orderId)
    {
        var queue = await _host.Client.GetFromJsonAsync<JsonElement>($"/api/stores/{storeId}/orders");
        return queue.GetProperty("orders").EnumerateArray()
            .Where(entry => entry.GetProperty("order").GetProperty("id").GetString() == orderId)
            .Select(entry => (JsonElement?)entry)
            .SingleOrDefault();
    }

    /// <summary>Waits until the order's recorded messages (<c>/api/local/orders/{id}/messages</c>) include <paramref name="messageId"/>; answers their ids.</summary>
    public async Task<IReadOnlyList<string>> WaitForMessageAsync(string orderId, string messageId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        List<string> ids = [];
        while (DateTime.UtcNow < deadline)
        {
            var messages = await _host.Client.GetFromJsonAsync<JsonElement>($"/api/local/orders/{orderId}/messages");
            ids = messages.GetProperty("notifications").EnumerateArray().Select(n => n.GetProperty("id").GetString()!).ToList();
            if (ids.Contains(messageId))
            {
                return ids;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Order {orderId} never had message '{messageId}': [{string.Join(", ", ids)}]\n{_host.Output}");
    }

    /// <summary>Stocks the SKU at the store, places a pickup order for it and waits until the order is reserved.</summary>
    public async Task PlaceReservedOrderAsync(string orderId, string customerId, string storeId, string sku, int quantity, int stock)
    {
        await StockAsync(storeId, sku, stock);
        using (var placed = await _host.Client.PostAsync("/api/orders", Order(orderId, customerId, storeId, sku, quantity)))
        {
            Assert.Equal(HttpStatusCode.Accepted, placed.StatusCode);
        }

        await WaitForStatusAsync(orderId, "reserved");
    }

    public static StringContent Order(string orderId, string customerId, string storeId, string sku, int quantity) =>
        Order(orderId, customerId, storeId, (sku, quantity));

    /// <summary>A pickup order of several lines, each unit at 9.99.</summary>
    public static StringContent Order(string orderId, string customerId, string storeId, params (string Sku, int Quantity)[] lines) =>
        new(new JsonObject
        {
            ["orderid"] = orderId,
            ["customerid"] = customerId,
            ["storeid"] = storeId,
            ["fulfilment"] = "pickup",
            ["lines"] = new JsonArray(lines.Select(line => (JsonNode)new JsonObject { ["sku"] = line.Sku, ["quantity"] = line.Quantity, ["price"] = "9.99" }).ToArray()),
        }.ToJsonString(), Encoding.UTF8, "application/json");

    /// <summary>The store's partial pick (<c>POST /api/orders/{id}/picked</c> with lines); answers the status code.</summary>
    public async Task<HttpStatusCode> PickAsync(string orderId, params (string Sku, int Picked, string? SubstituteSku, int Substituted)[] lines)
    {
        var body = new JsonObject
        {
            ["lines"] = new JsonArray(lines.Select(line => (JsonNode)new JsonObject
            {
                ["sku"] = line.Sku, ["picked"] = line.Picked, ["substituteSku"] = line.SubstituteSku, ["substituted"] = line.Substituted,
            }).ToArray()),
        };
        using var response = await _host.Client.PostAsync($"/api/orders/{orderId}/picked", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        return response.StatusCode;
    }

    public async Task<(int OnHand, int Reserved, int Available)> StockLevelAsync(string storeId, string sku)
    {
        var stock = await _host.Client.GetFromJsonAsync<JsonElement>($"/api/stores/{storeId}/inventory/{sku}");
        return (stock.GetProperty("onHand").GetInt32(), stock.GetProperty("reserved").GetInt32(), stock.GetProperty("available").GetInt32());
    }
}
