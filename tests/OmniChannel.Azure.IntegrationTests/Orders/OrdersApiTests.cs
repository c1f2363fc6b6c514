using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Stores;
using static OmniChannel.Azure.IntegrationTests.Fixtures.Events;

namespace OmniChannel.Azure.IntegrationTests.Orders;

[Collection(ServersCollection.Name)]
public sealed class OrdersApiTests(ServersFixture servers)
{
    [Fact]
    public async Task PlaceOrder_StockAtTheStore_Answers202_ReservesAndStartsOneWorkflow_RepeatChangesNothing()
    {
        await using var host = await StartAsync();
        await host.Backbone.IngestAsync([InventoryAdjusted("p-1", 1, "0001", "SKU-P", 4)]);

        var first = await host.Client.PostAsync("/api/orders", Order("o-100", "0001", ("SKU-P", 3)));
        var repeat = await host.Client.PostAsync("/api/orders", Order("o-100", "0001", ("SKU-P", 3)));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal("/api/orders/o-100", first.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Accepted, repeat.StatusCode);
        Assert.Equal([BopisWorkflow.InstanceIdFor("o-100")], host.Workflows.Started.Keys);
        var stock = await host.Client.GetFromJsonAsync<JsonElement>("/api/stores/0001/inventory/SKU-P");
        Assert.Equal(3, stock.GetProperty("reserved").GetInt32());
        Assert.Equal(1, stock.GetProperty("available").GetInt32());
        var order = await host.Client.GetFromJsonAsync<JsonElement>("/api/orders/o-100");
        Assert.Equal("reserved", order.GetProperty("order").GetProperty("status").GetString());
        var customer = await host.Client.GetFromJsonAsync<JsonElement>("/api/customers/c-100");
        Assert.Equal("awaitingPickup", customer.GetProperty("journeyStage").GetString());
        Assert.Equal("o-100", customer.GetProperty("openOrders")[0].GetProperty("orderId").GetString());
    }

    [Fact]
    public async Task PlaceOrder_StoreLacksStock_Answers409WithTheNearestStoresThatHaveEveryLine()
    {
        await using var host = await StartAsync();
        var stores = StoreSeed.Generate();
        var newYork = stores.Where(store => store.City == "New York" && store.BopisEnabled).Select(store => store.Id).ToList();
        await host.Backbone.IngestAsync([
            InventoryAdjusted("x-1", 1, newYork[1], "SKU-X", 5), InventoryAdjusted("x-2", 1, newYork[1], "SKU-Y", 5),
            InventoryAdjusted("x-3", 1, "0020", "SKU-X", 5), InventoryAdjusted("x-4", 1, "0020", "SKU-Y", 5),
            InventoryAdjusted("x-5", 1, "0002", "SKU-X", 5)]);

        var response = await host.Client.PostAsync("/api/orders", Order("o-200", newYork[0], ("SKU-X", 1), ("SKU-Y", 2)));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(2, problem.GetProperty("shortages").GetArrayLength());
        var alternatives = problem.GetProperty("alternatives").EnumerateArray().Select(store => store.GetProperty("storeId").GetString()).ToList();
        Assert.Equal([newYork[1], "0020"], alternatives);
        Assert.Empty(host.Workflows.Started);

        var placedThere = await host.Client.PostAsync("/api/orders", Order("o-200", newYork[1], ("SKU-X", 1), ("SKU-Y", 2)));
        Assert.Equal(HttpStatusCode.Accepted, placedThere.StatusCode);
    }

    [Fact]
    public async Task PlaceOrder_BadInput_AnswersProblemsNamingTheField()
    {
        await using var host = await StartAsync();

        var floatPrice = await host.Client.PostAsync("/api/orders", Raw("""{"orderid":"o-1","customerid":"c","storeid":"0001","fulfilment":"pickup","lines":[{"sku":"S","quantity":1,"price":9.99}]}"""));
        var noCustomer = await host.Client.PostAsync("/api/orders", Raw("""{"orderid":"o-1","storeid":"0001","fulfilment":"pickup","lines":[{"sku":"S","quantity":1,"price":"9.99"}]}"""));
        var ship = await host.Client.PostAsync("/api/orders", Raw("""{"orderid":"o-1","customerid":"c","fulfilment":"ship","lines":[{"sku":"S","quantity":1,"price":"9.99"}]}"""));
        var unknownStore = await host.Client.PostAsync("/api/orders", Order("o-3", "9999", ("S", 1)));
        var noPickup = await host.Client.PostAsync("/api/orders", Order("o-4", "0007", ("S", 1)));
        var notJson = await host.Client.PostAsync("/api/orders", Raw("{"));

        Assert.Contains("\"lines[0].price\"", await Expect(floatPrice, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("customerid", await Expect(noCustomer, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("fulfilment", await Expect(ship, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("9999", await Expect(unknownStore, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("does not offer pickup", await Expect(noPickup, HttpStatusCode.UnprocessableEntity), StringComparison.Ordinal);
        await Expect(notJson, HttpStatusCode.BadRequest);
        Assert.Empty(host.Workflows.Started);
    }

    [Fact]
    public async Task StoreActions_RouteToTheOrdersWorkflow_UnknownOrWrongStoreIs404()
    {
        await using var host = await StartAsync();
        await host.Backbone.IngestAsync([InventoryAdjusted("a-1", 1, "0001", "SKU-P", 4)]);
        await host.Client.PostAsync("/api/orders", Order("o-300", "0001", ("SKU-P", 1)));

        var picked = await host.Client.PostAsync("/api/stores/0001/orders/o-300/picked", null);
        var wrongStore = await host.Client.PostAsync("/api/stores/0002/orders/o-300/collected", null);
        var unknown = await host.Client.PostAsync("/api/stores/0001/orders/nope/picked", null);

        Assert.Equal(HttpStatusCode.Accepted, picked.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrongStore.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal([(BopisWorkflow.InstanceIdFor("o-300"), BopisWorkflow.PickedEvent)], host.Workflows.Raised.ToArray());
    }

    [Fact]
    public async Task Actions_OutOfTurn_Answer409NamingTheState_CollectedOnlyWhenReady_CancelOnlyBeforePicked()
    {
        await using var host = await StartAsync();
        await host.Backbone.IngestAsync([InventoryAdjusted("t-1", 1, "0001", "SKU-T", 4)]);
        await host.Client.PostAsync("/api/orders", Order("o-500", "0001", ("SKU-T", 1)));

        var collectedTooSoon = await host.Client.PostAsync("/api/stores/0001/orders/o-500/collected", null);
        var cancelBeforePick = await host.Client.PostAsync("/api/orders/o-500/cancel", null);
        var orders = host.Backbone.Get<IOrderStore>();
        var stored = (await orders.GetAsync("o-500", CancellationToken.None))!;
        stored.Value.Status = OrderStatus.Ready;
        await orders.SaveAsync(stored.Value, stored.ETag, CancellationToken.None);
        var cancelAfterPick = await host.Client.PostAsync("/api/orders/o-500/cancel", null);
        var pickedAgain = await host.Client.PostAsync("/api/stores/0001/orders/o-500/picked", null);
        var collected = await host.Client.PostAsync("/api/stores/0001/orders/o-500/collected", null);

        var tooSoon = JsonDocument.Parse(await Expect(collectedTooSoon, HttpStatusCode.Conflict)).RootElement;
        Assert.Equal("reserved", tooSoon.GetProperty("status").GetString());
        Assert.Contains("reserved", tooSoon.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("/order-state", tooSoon.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, cancelBeforePick.StatusCode);
        var tooLate = JsonDocument.Parse(await Expect(cancelAfterPick, HttpStatusCode.Conflict)).RootElement;
        Assert.Equal("ready", tooLate.GetProperty("status").GetString());
        Assert.Contains("ready", tooLate.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, pickedAgain.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, collected.StatusCode);
        var id = BopisWorkflow.InstanceIdFor("o-500");
        Assert.Equal([(id, BopisWorkflow.CancelledEvent), (id, BopisWorkflow.PickedEvent), (id, BopisWorkflow.CollectedEvent)], host.Workflows.Raised.ToArray());
    }

    [Fact]
    public async Task Arrived_OnlyWhenReady_409NamingTheStateBefore_ThenTheStoreQueueShowsArrivedAt()
    {
        await using var host = await StartAsync();
        await host.Backbone.IngestAsync([InventoryAdjusted("h-1", 1, "0001", "SKU-H", 4)]);
        await host.Client.PostAsync("/api/orders", Order("o-600", "0001", ("SKU-H", 1)));

        var tooSoon = await host.Client.PostAsync("/api/orders/o-600/arrived", null);
        var unknown = await host.Client.PostAsync("/api/orders/nope/arrived", null);
        var orders = host.Backbone.Get<IOrderStore>();
        var stored = (await orders.GetAsync("o-600", CancellationToken.None))!;
        stored.Value.Status = OrderStatus.Ready;
        await orders.SaveAsync(stored.Value, stored.ETag, CancellationToken.None);
        var arrived = await host.Client.PostAsync("/api/orders/o-600/arrived", null);

        // What the workflow writes when the event reaches it (the workflow is a fake here).
        var arrivedAt = new DateTimeOffset(2026, 11, 25, 14, 30, 0, TimeSpan.Zero);
        stored = (await orders.GetAsync("o-600", CancellationToken.None))!;
        stored.Value.ArrivedAt = arrivedAt;
        await orders.SaveAsync(stored.Value, stored.ETag, CancellationToken.None);
        var queue = await host.Client.GetFromJsonAsync<JsonElement>("/api/stores/0001/orders?status=ready");
        stored = (await orders.GetAsync("o-600", CancellationToken.None))!;
        stored.Value.Status = OrderStatus.Collected;
        await orders.SaveAsync(stored.Value, stored.ETag, CancellationToken.None);
        var finished = await host.Client.PostAsync("/api/orders/o-600/arrived", null);

        var problem = JsonDocument.Parse(await Expect(tooSoon, HttpStatusCode.Conflict)).RootElement;
        Assert.Equal("reserved", problem.GetProperty("status").GetString());
        Assert.Contains("reserved", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("/order-state", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        await Expect(unknown, HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Accepted, arrived.StatusCode);
        Assert.Equal([(BopisWorkflow.InstanceIdFor("o-600"), BopisWorkflow.ArrivedEvent)], host.Workflows.Raised.ToArray());
        var entry = Assert.Single(queue.GetProperty("orders").EnumerateArray().ToList());
        Assert.Equal("ready", entry.GetProperty("queue").GetString());
        Assert.Equal(arrivedAt, entry.GetProperty("order").GetProperty("arrivedAt").GetDateTimeOffset());
        var over = JsonDocument.Parse(await Expect(finished, HttpStatusCode.Conflict)).RootElement;
        Assert.EndsWith("/order-finished", over.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Single(host.Workflows.Raised);
    }

    [Fact]
    public async Task Picked_WithBadLines_Answers400NamingTheField_NothingIsSentOrChanged()
    {
        await using var host = await StartAsync();
        await host.Backbone.IngestAsync([InventoryAdjusted("q-1", 1, "0001", "SKU-Q", 4)]);
        await host.Client.PostAsync("/api/orders", Order("o-700", "0001", ("SKU-Q", 2)));

        (string Body, string Field)[] cases =
        [
            ("""{"lines":[{"sku":"SKU-NOPE","picked":0}]}""", "lines[0].sku"),
            ("""{"lines":[{"sku":"SKU-Q","picked":-1}]}""", "lines[0].picked"),
            ("""{"lines":[{"sku":"SKU-Q","picked":1,"substituteSku":"SKU-Z","substituted":2}]}""", "lines[0].picked"),
            ("""{"lines":[{"sku":"SKU-Q","picked":1,"substituted":1}]}""", "lines[0].substituteSku"),
            ("""{"lines":[{"sku":"SKU-Q","picked":1,"substituteSku":"SKU-Q","substituted":1}]}""", "lines[0].substituteSku"),
            ("""{"lines":[{"sku":"SKU-Q","picked":1,"substituteSku":"SKU-Z","substituted":-1}]}""", "lines[0].substituted"),
            ("""{"lines":[{"sku":"SKU-Q","picked":"one"}]}""", "lines[0].picked"),
            ("""{"lines":[{"picked":1}]}""", "lines[0].sku"),
            ("""{"lines":{"sku":"SKU-Q"}}""", "lines"),
        ];
        foreach (var (body, field) in cases)
        {
            var problem = JsonDocument.Parse(await Expect(await host.Client.PostAsync("/api/orders/o-700/picked", Raw(body)), HttpStatusCode.BadRequest)).RootElement;
            Assert.Contains(field, problem.GetProperty("errors").EnumerateArray().Select(error => error.GetProperty("field").GetString()));
        }

        Assert.Empty(host.Workflows.Raised);
        var order = (await host.Backbone.Get<IOrderStore>().GetAsync("o-700", CancellationToken.None))!.Value;
        Assert.Equal(OrderStatus.Reserved, order.Status);
        Assert.Empty(order.PickAdjustments);
        Assert.Null(order.Picking);
        var stock = await host.Client.GetFromJsonAsync<JsonElement>("/api/stores/0001/inventory/SKU-Q");
        Assert.Equal(2, stock.GetProperty("reserved").GetInt32());
    }

    [Fact]
    public async Task Picked_PartialBeforeReady_SendsOnlyTheShortLines_409OnceReadyOrFinished_OrderShowsPickAndRefunded()
    {
        await using var host = await StartAsync();
        await host.Backbone.IngestAsync([InventoryAdjusted("r-1", 1, "0001", "SKU-R", 4), InventoryAdjusted("r-2", 1, "0001", "SKU-V", 4)]);
        await host.Client.PostAsync("/api/orders", Order("o-800", "0001", ("SKU-R", 3), ("SKU-V", 1)));

        var partial = await host.Client.PostAsync("/api/orders/o-800/picked",
            Raw("""{"lines":[{"sku":"SKU-R","picked":1,"substituteSku":"SKU-S","substituted":1},{"sku":"SKU-V","picked":1}]}"""));

        Assert.Equal(HttpStatusCode.Accepted, partial.StatusCode);
        var signal = Assert.IsType<PickedSignal>(Assert.Single(host.Workflows.Payloads));
        Assert.Equal([new PickedLine("SKU-R", 1, "SKU-S", 1)], signal.Lines);

        // What the workflow writes once it has the pick (the workflow is a fake here), then the order is ready.
        var orders = host.Backbone.Get<IOrderStore>();
        var stored = (await orders.GetAsync("o-800", CancellationToken.None))!;
        stored.Value.PickAdjustments = [.. signal.Lines];
        stored.Value.Refunds["o-800:short"] = stored.Value.RefundDue("o-800:short");
        stored.Value.Status = OrderStatus.Ready;
        await orders.SaveAsync(stored.Value, stored.ETag, CancellationToken.None);
        var partialWhenReady = await host.Client.PostAsync("/api/stores/0001/orders/o-800/picked", Raw("""{"lines":[{"sku":"SKU-R","picked":0}]}"""));
        var fullWhenReady = await host.Client.PostAsync("/api/orders/o-800/picked", Raw("{}"));
        var view = await host.Client.GetFromJsonAsync<JsonElement>("/api/orders/o-800");
        stored = (await orders.GetAsync("o-800", CancellationToken.None))!;
        stored.Value.Status = OrderStatus.Collected;
        await orders.SaveAsync(stored.Value, stored.ETag, CancellationToken.None);
        var partialWhenFinished = await host.Client.PostAsync("/api/orders/o-800/picked", Raw("""{"lines":[{"sku":"SKU-R","picked":0}]}"""));

        var notNow = JsonDocument.Parse(await Expect(partialWhenReady, HttpStatusCode.Conflict)).RootElement;
        Assert.EndsWith("/order-state", notNow.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal("ready", notNow.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Accepted, fullWhenReady.StatusCode);
        var over = JsonDocument.Parse(await Expect(partialWhenFinished, HttpStatusCode.Conflict)).RootElement;
        Assert.EndsWith("/order-finished", over.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, host.Workflows.Raised.Count);
        var line = view.GetProperty("order").GetProperty("picking")[0];
        Assert.Equal(("SKU-R", 3, 1, 1, "SKU-S", 1),
            (line.GetProperty("sku").GetString(), line.GetProperty("ordered").GetInt32(), line.GetProperty("picked").GetInt32(),
             line.GetProperty("short").GetInt32(), line.GetProperty("substituteSku").GetString(), line.GetProperty("substituted").GetInt32()));
        Assert.Equal(12.50m, view.GetProperty("order").GetProperty("refunded").GetDecimal());
    }

    [Fact]
    public async Task StoreQueue_ListsThePlacedOrderWithItsCurrentStatus_FiltersByStatus_RefusesUnknownStatusOrStore()
    {
        await using var host = await StartAsync();
        await host.Backbone.IngestAsync([InventoryAdjusted("q-1", 1, "0001", "SKU-Q", 4)]);
        await host.Client.PostAsync("/api/orders", Order("o-400", "0001", ("SKU-Q", 1)));

        var placed = await host.Client.GetFromJsonAsync<JsonElement>("/api/stores/0001/orders");
        var orders = host.Backbone.Get<IOrderStore>();
        var stored = (await orders.GetAsync("o-400", CancellationToken.None))!;
        stored.Value.Status = OrderStatus.Ready;
        await orders.SaveAsync(stored.Value, stored.ETag, CancellationToken.None);
        var ready = await host.Client.GetFromJsonAsync<JsonElement>("/api/stores/0001/orders?status=READY,overdue");
        var toPick = await host.Client.GetFromJsonAsync<JsonElement>("/api/stores/0001/orders?status=awaitingPick");
        var otherStore = await host.Client.GetFromJsonAsync<JsonElement>("/api/stores/0002/orders");
        var badStatus = await host.Client.GetAsync("/api/stores/0001/orders?status=ready,picked");
        var unknownStore = await host.Client.GetAsync("/api/stores/9999/orders");

        Assert.Equal("0001", placed.GetProperty("storeId").GetString());
        var entry = Assert.Single(placed.GetProperty("orders").EnumerateArray().ToList());
        Assert.Equal("awaitingPick", entry.GetProperty("queue").GetString());
        Assert.Equal("o-400", entry.GetProperty("order").GetProperty("id").GetString());
        Assert.Equal("reserved", entry.GetProperty("order").GetProperty("status").GetString());
        Assert.Equal("ready", Assert.Single(ready.GetProperty("orders").EnumerateArray().ToList()).GetProperty("queue").GetString());
        Assert.Empty(toPick.GetProperty("orders").EnumerateArray());
        Assert.Empty(otherStore.GetProperty("orders").EnumerateArray());
        var problem = await Expect(badStatus, HttpStatusCode.BadRequest);
        Assert.Contains("awaitingPick, ready, overdue", problem, StringComparison.Ordinal);
        Assert.Contains("'picked'", problem, StringComparison.Ordinal);
        Assert.Contains("9999", await Expect(unknownStore, HttpStatusCode.NotFound), StringComparison.Ordinal);
    }

    private async Task<HttpBackbone> StartAsync()
    {
        var host = await HttpBackbone.StartAsync(servers);
        await host.Backbone.Get<IStoreDirectory>().UpsertAsync(StoreSeed.Generate(), CancellationToken.None);
        return host;
    }

    private static async Task<string> Expect(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {status}, got {response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return body;
    }

    private static StringContent Raw(string json) => new(json, Encoding.UTF8, "application/json");

    private static StringContent Order(string orderId, string storeId, params (string Sku, int Quantity)[] lines) =>
        Raw(new JsonObject
        {
            ["orderid"] = orderId,
            ["customerid"] = "c-" + orderId[2..],
            ["storeid"] = storeId,
            ["fulfilment"] = "pickup",
            ["lines"] = new JsonArray(lines.Select(line => (JsonNode)new JsonObject { ["sku"] = line.Sku, ["quantity"] = line.Quantity, ["price"] = "12.50" }).ToArray()),
        }.ToJsonString());
}
