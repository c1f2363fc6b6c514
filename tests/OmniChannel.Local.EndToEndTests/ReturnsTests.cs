using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OmniChannel.Local.EndToEndTests;

/// <summary>An online pickup order collected, then brought back to another store, on the local host over HTTP.</summary>
public sealed class ReturnsTests : IAsyncLifetime
{
    private LocalHostProcess _host = null!;

    public async Task InitializeAsync() => _host = await LocalHostProcess.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private BopisDriver Driver => new(_host);

    [Fact]
    public async Task CollectedOrder_ReturnedAtAnotherStore_StockBackThereRefundedOnceAndIn360()
    {
        await Driver.StockAsync("0002", "SKU-RT", 1);
        await Driver.PlaceReservedOrderAsync("RT-1", "c-rt1", "0001", "SKU-RT", 2, stock: 4);
        Assert.Equal(HttpStatusCode.Accepted, (await _host.Client.PostAsync("/api/stores/0001/orders/RT-1/picked", null)).StatusCode);
        await Driver.WaitForStatusAsync("RT-1", "ready");
        Assert.Equal(HttpStatusCode.Accepted, (await _host.Client.PostAsync("/api/stores/0001/orders/RT-1/collected", null)).StatusCode);
        await Driver.WaitForStatusAsync("RT-1", "collected");

        var returned = await _host.Client.PostAsync("/api/stores/0002/returns", Return("RT-1-r1", "RT-1", "SKU-RT", 1));
        var repeated = await _host.Client.PostAsync("/api/stores/0002/returns", Return("RT-1-r1", "RT-1", "SKU-RT", 1));
        var tooMany = await _host.Client.PostAsync("/api/stores/0002/returns", Return("RT-1-r2", "RT-1", "SKU-RT", 2));

        Assert.Equal(HttpStatusCode.Created, returned.StatusCode);
        Assert.Equal(HttpStatusCode.Created, repeated.StatusCode);
        var body = await returned.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("completed", 9.99m, "RT-1-r1:return"), (body.GetProperty("status").GetString(), body.GetProperty("amountRefunded").GetDecimal(), body.GetProperty("refundId").GetString()));
        Assert.Equal(HttpStatusCode.Conflict, tooMany.StatusCode);

        // The unit is back on hand where it was brought, once; the order's store keeps what it had after the hand-over.
        Assert.Equal(2, (await StockAsync("0002", "SKU-RT")).GetProperty("onHand").GetInt32());
        Assert.Equal(2, (await StockAsync("0001", "SKU-RT")).GetProperty("onHand").GetInt32());
        var messages = await _host.Client.GetFromJsonAsync<JsonElement>("/api/local/orders/RT-1/messages");
        var refunds = messages.GetProperty("refunds").EnumerateArray().Select(refund => (refund.GetProperty("refundId").GetString(), refund.GetProperty("amount").GetDecimal())).ToArray();
        Assert.Equal([("RT-1-r1:return", 9.99m)], refunds);
        var customer = await _host.Client.GetFromJsonAsync<JsonElement>("/api/customers/c-rt1");
        var activity = Assert.Single(customer.GetProperty("recentActivity").EnumerateArray(), entry => entry.GetProperty("type").GetString() == "omni.order.returned");
        Assert.Equal("0002", activity.GetProperty("storeId").GetString());
        var order = await _host.Client.GetFromJsonAsync<JsonElement>("/api/orders/RT-1");
        Assert.Equal("collected", order.GetProperty("order").GetProperty("status").GetString());
    }

    private Task<JsonElement> StockAsync(string storeId, string sku) =>
        _host.Client.GetFromJsonAsync<JsonElement>($"/api/stores/{storeId}/inventory/{sku}");

    private static StringContent Return(string returnId, string orderId, string sku, int quantity) =>
        new(new JsonObject
        {
            ["returnId"] = returnId,
            ["orderId"] = orderId,
            ["lines"] = new JsonArray(new JsonObject { ["sku"] = sku, ["quantity"] = quantity }),
        }.ToJsonString(), Encoding.UTF8, "application/json");
}
