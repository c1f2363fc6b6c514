using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OmniChannel.Core.Orders;

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

    private BopisDriver Driver => new(_host);

    [Fact]
    public async Task PickupOrder_PickedThenCollected_CompletesAndHandsOverTheStock()
    {
        await Driver.StockAsync("0001", "SKU-H", 5);

        var placed = await _host.Client.PostAsync("/api/orders", BopisDriver.Order("H-1", "c-h1", "0001", "SKU-H", 2));
        Assert.Equal(HttpStatusCode.Accepted, placed.StatusCode);
        await Driver.WaitForStatusAsync("H-1", "reserved");

        // Read at once: the pick SLA here is 5 s, after which the order would be overdue.
        Assert.Equal("awaitingPick", await Driver.QueueStateAsync("0001", "H-1"));
        Assert.Equal(HttpStatusCode.Accepted, (await _host.Client.PostAsync("/api/stores/0001/orders/H-1/picked", null)).StatusCode);
        await Driver.WaitForStatusAsync("H-1", "ready");
        Assert.Equal("ready", await Driver.QueueStateAsync("0001", "H-1"));
        Assert.Equal(HttpStatusCode.Accepted, (await _host.Client.PostAsync("/api/stores/0001/orders/H-1/collected", null)).StatusCode);
        var done = await Driver.WaitForStatusAsync("H-1", "collected");
        Assert.Null(await Driver.QueueStateAsync("0001", "H-1"));

        Assert.Equal("Completed", done.GetProperty("workflowStatus").GetString());
        Assert.Equal(BopisWorkflow.Version, done.GetProperty("workflowVersion").GetString());
        var stock = await _host.Client.GetFromJsonAsync<JsonElement>("/api/stores/0001/inventory/SKU-H");
        Assert.Equal(3, stock.GetProperty("onHand").GetInt32());
        Assert.Equal(0, stock.GetProperty("reserved").GetInt32());
        var messages = await _host.Client.GetFromJsonAsync<JsonElement>("/api/local/orders/H-1/messages");
        Assert.Equal(["H-1:pick", "H-1:ready"], messages.GetProperty("notifications").EnumerateArray().Select(n => n.GetProperty("id").GetString()!).ToArray());
        var finished = await _host.Client.PostAsync("/api/stores/0001/orders/H-1/collected", null);
        Assert.Equal(HttpStatusCode.Conflict, finished.StatusCode);
    }

    [Fact]
    public async Task PickupOrder_CustomerArrives_StoreIsToldOnceQueueShowsArrivedAt_ThenCollected()
    {
        await Driver.PlaceReservedOrderAsync("A-1", "c-a1", "0001", "SKU-A", 1, stock: 3);

        var tooSoon = await _host.Client.PostAsync("/api/orders/A-1/arrived", null);
        Assert.Equal(HttpStatusCode.Conflict, tooSoon.StatusCode);
        Assert.Contains("reserved", await tooSoon.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, (await _host.Client.PostAsync("/api/stores/0001/orders/A-1/picked", null)).StatusCode);
        await Driver.WaitForStatusAsync("A-1", "ready");
        Assert.Equal(HttpStatusCode.Accepted, (await _host.Client.PostAsync("/api/orders/A-1/arrived", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await _host.Client.PostAsync("/api/orders/A-1/arrived", null)).StatusCode);

        var ids = await Driver.WaitForMessageAsync("A-1", "A-1:arrived");
        var entry = await Driver.QueueEntryAsync("0001", "A-1");
        Assert.NotNull(entry);
        Assert.Equal("ready", entry.Value.GetProperty("queue").GetString());
        var order = entry.Value.GetProperty("order");
        var arrivedAt = order.GetProperty("arrivedAt").GetDateTimeOffset();
        Assert.True(arrivedAt >= order.GetProperty("readyAt").GetDateTimeOffset());
        Assert.Equal(HttpStatusCode.Accepted, (await _host.Client.PostAsync("/api/stores/0001/orders/A-1/collected", null)).StatusCode);
        var done = await Driver.WaitForStatusAsync("A-1", "collected");

        Assert.Equal("Completed", done.GetProperty("workflowStatus").GetString());
        Assert.Equal(arrivedAt, done.GetProperty("order").GetProperty("arrivedAt").GetDateTimeOffset());
        Assert.Equal(["A-1:arrived", "A-1:pick", "A-1:ready"], ids.Order(StringComparer.Ordinal));
        var messages = await _host.Client.GetFromJsonAsync<JsonElement>("/api/local/orders/A-1/messages");
        var notifications = messages.GetProperty("notifications").EnumerateArray().ToList();
        var arrival = Assert.Single(notifications, n => n.GetProperty("id").GetString() == "A-1:arrived");
        Assert.Equal("store", arrival.GetProperty("audience").GetString());
        Assert.Equal("0001", arrival.GetProperty("recipientId").GetString());
        Assert.Contains("has arrived", arrival.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Empty(messages.GetProperty("refunds").EnumerateArray());
        Assert.Equal(0, (await _host.Client.GetFromJsonAsync<JsonElement>("/api/stores/0001/inventory/SKU-A")).GetProperty("reserved").GetInt32());
    }

    [Fact]
    public async Task PickupOrder_PickedShortWithASubstitute_RefundsTheShortUnitTellsTheCustomer_CollectedWithThePickedAndTheSubstitute()
    {
        await Driver.StockAsync("0003", "SKU-P1", 5);
        await Driver.StockAsync("0003", "SKU-P2", 3);
        await Driver.StockAsync("0003", "SKU-P9", 4);
        Assert.Equal(HttpStatusCode.Accepted, (await _host.Client.PostAsync("/api/orders", BopisDriver.Order("P-1", "c-p1", "0003", ("SKU-P1", 2), ("SKU-P2", 1)))).StatusCode);
        await Driver.WaitForStatusAsync("P-1", "reserved");

        Assert.Equal(HttpStatusCode.Accepted, await Driver.PickAsync("P-1", ("SKU-P1", 1, null, 0), ("SKU-P2", 0, "SKU-P9", 1)));
        var ready = await Driver.WaitForStatusAsync("P-1", "ready");
        var ids = await Driver.WaitForMessageAsync("P-1", "P-1:ready");

        Assert.Contains("P-1:short", ids);
        var picking = ready.GetProperty("order").GetProperty("picking").EnumerateArray().ToList();
        Assert.Equal((1, 1), (picking[0].GetProperty("picked").GetInt32(), picking[0].GetProperty("short").GetInt32()));
        Assert.Equal(("SKU-P9", 1), (picking[1].GetProperty("substituteSku").GetString(), picking[1].GetProperty("substituted").GetInt32()));
        Assert.Equal(9.99m, ready.GetProperty("order").GetProperty("refunded").GetDecimal());
        var queued = (await Driver.QueueEntryAsync("0003", "P-1"))!.Value.GetProperty("order").GetProperty("picking");
        Assert.Equal(1, queued[0].GetProperty("short").GetInt32());
        Assert.Equal((4, 1, 3), await Driver.StockLevelAsync("0003", "SKU-P1"));
        Assert.Equal((4, 1, 3), await Driver.StockLevelAsync("0003", "SKU-P9"));
        Assert.Equal(HttpStatusCode.Conflict, await Driver.PickAsync("P-1", ("SKU-P1", 0, null, 0)));

        Assert.Equal(HttpStatusCode.Accepted, (await _host.Client.PostAsync("/api/stores/0003/orders/P-1/collected", null)).StatusCode);
        await Driver.WaitForStatusAsync("P-1", "collected");

        Assert.Equal((3, 0, 3), await Driver.StockLevelAsync("0003", "SKU-P1"));
        Assert.Equal((3, 0, 3), await Driver.StockLevelAsync("0003", "SKU-P2"));
        Assert.Equal((3, 0, 3), await Driver.StockLevelAsync("0003", "SKU-P9"));
        var messages = await _host.Client.GetFromJsonAsync<JsonElement>("/api/local/orders/P-1/messages");
        var refund = Assert.Single(messages.GetProperty("refunds").EnumerateArray());
        Assert.Equal(("P-1:short", 9.99m), (refund.GetProperty("refundId").GetString(), refund.GetProperty("amount").GetDecimal()));
        var shortMessage = messages.GetProperty("notifications").EnumerateArray().Single(n => n.GetProperty("id").GetString() == "P-1:short");
        Assert.Contains("refunded 9.99", shortMessage.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PickupOrder_NeverCollected_ExpiresReleasesTheStockAndRefundsOnce()
    {
        await Driver.StockAsync("0002", "SKU-E", 3);

        Assert.Equal(HttpStatusCode.Accepted, (await _host.Client.PostAsync("/api/orders", BopisDriver.Order("E-1", "c-e1", "0002", "SKU-E", 3))).StatusCode);
        await Driver.WaitForStatusAsync("E-1", "reserved");
        await _host.Client.PostAsync("/api/stores/0002/orders/E-1/picked", null);
        var expired = await Driver.WaitForStatusAsync("E-1", "expired", TimeSpan.FromSeconds(60));

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
        await Driver.StockAsync("0003", "SKU-R", 4);

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(index =>
            _host.Client.PostAsync("/api/orders", BopisDriver.Order($"R-{index}", $"c-r{index}", "0003", "SKU-R", 1))));

        Assert.Equal(4, responses.Count(response => response.StatusCode == HttpStatusCode.Accepted));
        Assert.Equal(8, responses.Count(response => response.StatusCode == HttpStatusCode.Conflict));
        var stock = await _host.Client.GetFromJsonAsync<JsonElement>("/api/stores/0003/inventory/SKU-R");
        Assert.Equal(0, stock.GetProperty("available").GetInt32());
    }
}
