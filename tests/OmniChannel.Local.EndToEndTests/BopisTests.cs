using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OmniChannel.Local.EndToEndTests;

/// <summary>Buy online, pick up in store on the local host: the real workflow on the Durable Task engine, driven over HTTP.</summary>
public sealed class BopisTests : IAsyncLifetime
{
    private LocalHostProcess _host = null!;

    public async Task InitializeAsync() =>
        _host = await LocalHostProcess.StartAsync(settings: null, extraArguments: new Dictionary<string, string>
        {
            ["OmniChannel:Bopis:PickSla"] = "00:00:05",
            ["OmniChannel:Bopis:PickupWindow"] = "00:00:08",
            ["OmniChannel:Bopis:ReminderBeforeExpiry"] = "00:00:04",
        });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task PickupOrder_PickedThenCollected_CompletesAndHandsOverTheStock()
    {
        await StockAsync("0001", "SKU-H", 5);

        var placed = await _host.Client.PostAsync("/api/orders", Order("H-1", "c-h1", "0001", "SKU-H", 2));
        Assert.Equal(HttpStatusCode.Accepted, placed.StatusCode);
        await WaitForStatusAsync("H-1", "reserved");
        Assert.Equal(HttpStatusCode.Accepted, (await _host.Client.PostAsync("/api/stores/0001/orders/H-1/picked", null)).StatusCode);
        await WaitForStatusAsync("H-1", "ready");
        Assert.Equal(HttpStatusCode.Accepted, (await _host.Client.PostAsync("/api/stores/0001/orders/H-1/collected", null)).StatusCode);
        var done = await WaitForStatusAsync("H-1", "collected");

        Assert.Equal("Completed", done.GetProperty("workflowStatus").GetString());
        var stock = await _host.Client.GetFromJsonAsync<JsonElement>("/api/stores/0001/inventory/SKU-H");
        Assert.Equal(3, stock.GetProperty("onHand").GetInt32());
        Assert.Equal(0, stock.GetProperty("reserved").GetInt32());
        var messages = await _host.Client.GetFromJsonAsync<JsonElement>("/api/local/orders/H-1/messages");
        Assert.Equal(["H-1:pick", "H-1:ready"], messages.GetProperty("notifications").EnumerateArray().Select(n => n.GetProperty("id").GetString()!).ToArray());
        var finished = await _host.Client.PostAsync("/api/stores/0001/orders/H-1/collected", null);
        Assert.Equal(HttpStatusCode.Conflict, finished.StatusCode);
    }

    [Fact]
    public async Task PickupOrder_NeverCollected_ExpiresReleasesTheStockAndRefundsOnce()
    {
        await StockAsync("0002", "SKU-E", 3);

        Assert.Equal(HttpStatusCode.Accepted, (await _host.Client.PostAsync("/api/orders", Order("E-1", "c-e1", "0002", "SKU-E", 3))).StatusCode);
        await WaitForStatusAsync("E-1", "reserved");
        await _host.Client.PostAsync("/api/stores/0002/orders/E-1/picked", null);
        var expired = await WaitForStatusAsync("E-1", "expired", TimeSpan.FromSeconds(60));

        Assert.Equal("Completed", expired.GetProperty("workflowStatus").GetString());
        var stock = await _host.Client.GetFromJsonAsync<JsonElement>("/api/stores/0002/inventory/SKU-E");
        Assert.Equal(3, stock.GetProperty("available").GetInt32());
        var messages = await _host.Client.GetFromJsonAsync<JsonElement>("/api/local/orders/E-1/messages");
        var refund = Assert.Single(messages.GetProperty("refunds").EnumerateArray());
        Assert.Equal(29.97m, refund.GetProperty("amount").GetDecimal());
        var ids = messages.GetProperty("notifications").EnumerateArray().Select(n => n.GetProperty("id").GetString()).ToList();
        Assert.Contains("E-1:reminder", ids);
        Assert.Contains("E-1:expired", ids);
    }

    [Fact]
    public async Task PickupOrder_LastUnitsRaced_OnlyAsManyOrdersAsUnitsAreAccepted()
    {
        await StockAsync("0003", "SKU-R", 4);

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(index =>
            _host.Client.PostAsync("/api/orders", Order($"R-{index}", $"c-r{index}", "0003", "SKU-R", 1))));

        Assert.Equal(4, responses.Count(response => response.StatusCode == HttpStatusCode.Accepted));
        Assert.Equal(8, responses.Count(response => response.StatusCode == HttpStatusCode.Conflict));
        var stock = await _host.Client.GetFromJsonAsync<JsonElement>("/api/stores/0003/inventory/SKU-R");
        Assert.Equal(0, stock.GetProperty("available").GetInt32());
    }

    private async Task StockAsync(string storeId, string sku, int quantity)
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

    private async Task<JsonElement> WaitForStatusAsync(string orderId, string status, TimeSpan? timeout = null)
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

    private static StringContent Order(string orderId, string customerId, string storeId, string sku, int quantity) =>
        new(new JsonObject
        {
            ["orderid"] = orderId,
            ["customerid"] = customerId,
            ["storeid"] = storeId,
            ["fulfilment"] = "pickup",
            ["lines"] = new JsonArray(new JsonObject { ["sku"] = sku, ["quantity"] = quantity, ["price"] = "9.99" }),
        }.ToJsonString(), Encoding.UTF8, "application/json");
}
