using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Azure.Tables;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Stores;
using static OmniChannel.Azure.IntegrationTests.Fixtures.Events;
using OrderLine = OmniChannel.Core.Events.OrderLine;

namespace OmniChannel.Azure.IntegrationTests.Orders;

/// <summary><c>POST /api/stores/{storeId}/returns</c>: an online order brought back to a store.</summary>
[Collection(ServersCollection.Name)]
public sealed class StoreReturnsTests(ServersFixture servers)
{
    [Fact]
    public async Task Return_CollectedOrder_Answers201_StockBackAtThatStore_RefundedOnce_RepeatMovesNothing()
    {
        await using var host = await StartAsync();
        var orderId = NewOrderId();
        await host.Backbone.IngestAsync([InventoryAdjusted("rs-1-" + orderId, 1, "0002", "SKU-R1", 3)]);
        await SaveOrderAsync(host, orderId, OrderStatus.Collected, ("SKU-R1", 2, 12.50m), ("SKU-R2", 1, 5.00m));

        var first = await host.Client.PostAsync("/api/stores/0002/returns", Return("ret-1", orderId, ("SKU-R1", 2)));
        var repeat = await host.Client.PostAsync("/api/stores/0002/returns", Return("ret-1", orderId, ("SKU-R1", 2)));

        var body = JsonDocument.Parse(await Expect(first, HttpStatusCode.Created)).RootElement;
        Assert.Equal(("ret-1", orderId, "0002", "completed"), (body.GetProperty("returnId").GetString(), body.GetProperty("orderId").GetString(), body.GetProperty("storeId").GetString(), body.GetProperty("status").GetString()));
        Assert.Equal(2, body.GetProperty("units").GetInt32());
        Assert.Equal(25.00m, body.GetProperty("amountRefunded").GetDecimal());
        var again = JsonDocument.Parse(await Expect(repeat, HttpStatusCode.Created)).RootElement;
        Assert.Equal((2, 25.00m, "completed"), (again.GetProperty("units").GetInt32(), again.GetProperty("amountRefunded").GetDecimal(), again.GetProperty("status").GetString()));

        // The units are back on hand at the store that took them, once; the order's own store is untouched.
        Assert.Equal(5, (await StockAsync(host, "0002", "SKU-R1")).GetProperty("onHand").GetInt32());
        Assert.Equal(0, (await StockAsync(host, "0001", "SKU-R1")).GetProperty("onHand").GetInt32());
        var refunds = await host.Backbone.Get<TableRefundRecorder>().ListAsync(orderId, CancellationToken.None);
        Assert.Equal([(ReturnService.RefundIdFor("ret-1"), 25.00m)], refunds.Select(refund => (refund.RefundId, refund.Amount)).ToArray());
        var order = (await host.Backbone.Get<IOrderStore>().GetAsync(orderId, CancellationToken.None))!.Value;
        Assert.Equal(OrderStatus.Collected, order.Status);
        Assert.Equal(ReturnStatus.Completed, Assert.Single(order.Returns).Status);
    }

    [Fact]
    public async Task Return_Completed_ShowsInTheCustomers360OnceAndCountsInInsightsOnce()
    {
        await using var host = await StartAsync();
        var orderId = NewOrderId();
        await host.Backbone.IngestAsync([Identified("rs-id-" + orderId, 1, "c-" + orderId, "d-" + orderId)]);
        await SaveOrderAsync(host, orderId, OrderStatus.Collected, ("SKU-R3", 3, 7.25m));
        var before = await PickupInsightsAsync(host);

        await Expect(await host.Client.PostAsync("/api/stores/0003/returns", Return("ret-360", orderId, ("SKU-R3", 2))), HttpStatusCode.Created);
        await Expect(await host.Client.PostAsync("/api/stores/0003/returns", Return("ret-360", orderId, ("SKU-R3", 2))), HttpStatusCode.Created);

        var customer = await host.Client.GetFromJsonAsync<JsonElement>($"/api/customers/c-{orderId}");
        var returned = customer.GetProperty("recentActivity").EnumerateArray()
            .Where(entry => entry.GetProperty("type").GetString() == "omni.order.returned")
            .ToList();
        var entry = Assert.Single(returned);
        Assert.Equal(("ret-360", "0003"), (entry.GetProperty("eventId").GetString(), entry.GetProperty("storeId").GetString()));
        Assert.Contains("2 × SKU-R3", entry.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Contains("14.50 refunded", entry.GetProperty("summary").GetString(), StringComparison.Ordinal);
        var after = await PickupInsightsAsync(host);
        Assert.Equal((1L, 2L), (after.Returns - before.Returns, after.Units - before.Units));
    }

    [Fact]
    public async Task Return_CrashBeforeTheRefund_RepeatRefundsAndMovesTheStockOnlyOnce()
    {
        var payments = new FailingOnce();
        await using var host = await StartAsync(services => services.AddSingleton<IPaymentGateway>(provider => payments.Around(provider.GetRequiredService<TableRefundRecorder>())));
        var orderId = NewOrderId();
        await SaveOrderAsync(host, orderId, OrderStatus.Collected, ("SKU-R1", 3, 10.00m));

        var crashed = await host.Client.PostAsync("/api/stores/0001/returns", Return("ret-c", orderId, ("SKU-R1", 1)));
        Assert.Equal(HttpStatusCode.InternalServerError, crashed.StatusCode);
        var pending = (await host.Backbone.Get<IOrderStore>().GetAsync(orderId, CancellationToken.None))!.Value;
        Assert.Equal(ReturnStatus.Pending, Assert.Single(pending.Returns).Status);
        Assert.Equal(1, (await StockAsync(host, "0001", "SKU-R1")).GetProperty("onHand").GetInt32());

        var repeat = await host.Client.PostAsync("/api/stores/0001/returns", Return("ret-c", orderId, ("SKU-R1", 1)));

        var body = JsonDocument.Parse(await Expect(repeat, HttpStatusCode.Created)).RootElement;
        Assert.Equal(10.00m, body.GetProperty("amountRefunded").GetDecimal());
        Assert.Equal(1, (await StockAsync(host, "0001", "SKU-R1")).GetProperty("onHand").GetInt32());
        Assert.Single(await host.Backbone.Get<TableRefundRecorder>().ListAsync(orderId, CancellationToken.None));
    }

    [Fact]
    public async Task Return_OrderNotCollected_Answers409NamingTheState_MovesNothing()
    {
        await using var host = await StartAsync();
        var orderId = NewOrderId();
        await SaveOrderAsync(host, orderId, OrderStatus.Ready, ("SKU-R1", 2, 12.50m));

        var response = await host.Client.PostAsync("/api/stores/0001/returns", Return("ret-n", orderId, ("SKU-R1", 1)));

        var problem = JsonDocument.Parse(await Expect(response, HttpStatusCode.Conflict)).RootElement;
        Assert.Equal("ready", problem.GetProperty("status").GetString());
        Assert.Equal(0, (await StockAsync(host, "0001", "SKU-R1")).GetProperty("onHand").GetInt32());
        Assert.Empty(await host.Backbone.Get<TableRefundRecorder>().ListAsync(orderId, CancellationToken.None));
        Assert.Empty((await host.Backbone.Get<IOrderStore>().GetAsync(orderId, CancellationToken.None))!.Value.Returns);
    }

    [Fact]
    public async Task Return_MoreThanBoughtLessEarlierReturns_Answers409_TheRestMayStillComeBack()
    {
        await using var host = await StartAsync();
        var orderId = NewOrderId();
        await SaveOrderAsync(host, orderId, OrderStatus.Collected, ("SKU-R1", 2, 12.50m));

        var firstUnit = await host.Client.PostAsync("/api/stores/0001/returns", Return("ret-a", orderId, ("SKU-R1", 1)));
        var tooMany = await host.Client.PostAsync("/api/stores/0001/returns", Return("ret-b", orderId, ("SKU-R1", 2)));
        var notBought = await host.Client.PostAsync("/api/stores/0001/returns", Return("ret-x", orderId, ("SKU-OTHER", 1)));
        var lastUnit = await host.Client.PostAsync("/api/stores/0001/returns", Return("ret-c", orderId, ("SKU-R1", 1)));
        var otherLinesSameId = await host.Client.PostAsync("/api/stores/0001/returns", Return("ret-a", orderId, ("SKU-R1", 2)));

        await Expect(firstUnit, HttpStatusCode.Created);
        var excess = JsonDocument.Parse(await Expect(tooMany, HttpStatusCode.Conflict)).RootElement.GetProperty("excess")[0];
        Assert.Equal(("SKU-R1", 2, 1), (excess.GetProperty("sku").GetString(), excess.GetProperty("requested").GetInt32(), excess.GetProperty("returnable").GetInt32()));
        Assert.Contains("SKU-OTHER", await Expect(notBought, HttpStatusCode.Conflict), StringComparison.Ordinal);
        await Expect(lastUnit, HttpStatusCode.Created);
        await Expect(otherLinesSameId, HttpStatusCode.Conflict);
        Assert.Equal(2, (await StockAsync(host, "0001", "SKU-R1")).GetProperty("onHand").GetInt32());
        Assert.Equal([12.50m, 12.50m], (await host.Backbone.Get<TableRefundRecorder>().ListAsync(orderId, CancellationToken.None)).Select(refund => refund.Amount).ToArray());
    }

    [Fact]
    public async Task Return_BadInput_Answers400NamingEachField_UnknownOrderOrStoreIs404()
    {
        await using var host = await StartAsync();
        var orderId = NewOrderId();
        await SaveOrderAsync(host, orderId, OrderStatus.Collected, ("SKU-R1", 2, 12.50m));

        var bad = await host.Client.PostAsync("/api/stores/0001/returns", Raw("""{"lines":[{"sku":"","quantity":0},{"sku":"S","quantity":1.5}],"reason":5}"""));
        var noLines = await host.Client.PostAsync("/api/stores/0001/returns", Raw($$"""{"returnId":"r","orderId":"{{orderId}}","lines":[]}"""));
        var notJson = await host.Client.PostAsync("/api/stores/0001/returns", Raw("["));
        var unknownOrder = await host.Client.PostAsync("/api/stores/0001/returns", Return("ret-u", "no-such-order", ("SKU-R1", 1)));
        var unknownStore = await host.Client.PostAsync("/api/stores/9999/returns", Return("ret-u", orderId, ("SKU-R1", 1)));

        var fields = JsonDocument.Parse(await Expect(bad, HttpStatusCode.BadRequest)).RootElement.GetProperty("errors")
            .EnumerateArray().Select(error => (error.GetProperty("field").GetString()!, error.GetProperty("kind").GetString()!)).ToArray();
        Assert.Equal(
            [("returnId", "value"), ("orderId", "value"), ("lines[0].sku", "value"), ("lines[0].quantity", "value"), ("lines[1].quantity", "value"), ("reason", "type")],
            fields);
        Assert.Contains("\"lines\"", await Expect(noLines, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        await Expect(notJson, HttpStatusCode.BadRequest);
        Assert.Contains("no-such-order", await Expect(unknownOrder, HttpStatusCode.NotFound), StringComparison.Ordinal);
        Assert.Contains("9999", await Expect(unknownStore, HttpStatusCode.NotFound), StringComparison.Ordinal);
        Assert.Empty((await host.Backbone.Get<IOrderStore>().GetAsync(orderId, CancellationToken.None))!.Value.Returns);
    }

    private async Task<HttpBackbone> StartAsync(Action<IServiceCollection>? configure = null)
    {
        var host = await HttpBackbone.StartAsync(servers, configure: configure);
        await host.Backbone.Get<IStoreDirectory>().UpsertAsync(StoreSeed.Generate(), CancellationToken.None);
        return host;
    }

    /// <summary>Refund rows are kept in one table across tests and runs: each test's order is its own.</summary>
    private static string NewOrderId() => "o-ret-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task Return_PartiallyPickedOrder_AcceptsOnlyWhatWasHandedOver_SubstituteUnderItsOwnSkuAtTheLinesPrice()
    {
        await using var host = await StartAsync();
        var orderId = NewOrderId();
        await SaveOrderAsync(host, orderId, OrderStatus.Collected, ("SKU-R1", 2, 12.50m), ("SKU-R2", 1, 5.00m));
        var orders = host.Backbone.Get<IOrderStore>();
        var stored = (await orders.GetAsync(orderId, CancellationToken.None))!;
        stored.Value.PickAdjustments = [new PickedLine("SKU-R1", 1), new PickedLine("SKU-R2", 0, "SKU-R9", 1)];
        await orders.SaveAsync(stored.Value, stored.ETag, CancellationToken.None);

        var shortUnit = await host.Client.PostAsync("/api/stores/0001/returns", Return("ret-p1", orderId, ("SKU-R1", 2)));
        var replaced = await host.Client.PostAsync("/api/stores/0001/returns", Return("ret-p2", orderId, ("SKU-R2", 1)));
        var handedOver = await host.Client.PostAsync("/api/stores/0001/returns", Return("ret-p3", orderId, ("SKU-R1", 1), ("SKU-R9", 1)));

        var excess = JsonDocument.Parse(await Expect(shortUnit, HttpStatusCode.Conflict)).RootElement.GetProperty("excess")[0];
        Assert.Equal(("SKU-R1", 2, 1), (excess.GetProperty("sku").GetString(), excess.GetProperty("requested").GetInt32(), excess.GetProperty("returnable").GetInt32()));
        var notHanded = JsonDocument.Parse(await Expect(replaced, HttpStatusCode.Conflict)).RootElement.GetProperty("excess")[0];
        Assert.Equal(("SKU-R2", 0), (notHanded.GetProperty("sku").GetString(), notHanded.GetProperty("returnable").GetInt32()));
        var body = JsonDocument.Parse(await Expect(handedOver, HttpStatusCode.Created)).RootElement;
        Assert.Equal(17.50m, body.GetProperty("amountRefunded").GetDecimal());
        Assert.Equal(1, (await StockAsync(host, "0001", "SKU-R9")).GetProperty("onHand").GetInt32());
    }

    private static async Task SaveOrderAsync(HttpBackbone host, string orderId, OrderStatus status, params (string Sku, int Quantity, decimal Price)[] lines)
    {
        var now = DateTimeOffset.UtcNow;
        await host.Backbone.Get<IOrderStore>().SaveAsync(
            new PickupOrder
            {
                Id = orderId,
                CustomerId = "c-" + orderId,
                StoreId = "0001",
                Lines = lines.Select(line => new OrderLine(line.Sku, line.Quantity, line.Price)).ToList(),
                PlacedAt = now.AddDays(-2),
                Status = status,
                UpdatedAt = now.AddDays(-1),
            },
            null,
            CancellationToken.None);
    }

    /// <summary>Today's returns and returned units in the insights (the counters are kept across tests: compare before and after).</summary>
    private static async Task<(long Returns, long Units)> PickupInsightsAsync(HttpBackbone host)
    {
        var today = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var summary = await host.Client.GetFromJsonAsync<JsonElement>($"/api/insights/summary?from={today}&to={today}");
        var pickup = summary.GetProperty("pickup");
        return (pickup.GetProperty("returns").GetInt64(), pickup.GetProperty("returnedUnits").GetInt64());
    }

    private static Task<JsonElement> StockAsync(HttpBackbone host, string storeId, string sku) =>
        host.Client.GetFromJsonAsync<JsonElement>($"/api/stores/{storeId}/inventory/{sku}");

    private static async Task<string> Expect(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {status}, got {response.StatusCode}: {body}");
        if (status >= HttpStatusCode.BadRequest)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        return body;
    }

    private static StringContent Raw(string json) => new(json, Encoding.UTF8, "application/json");

    private static StringContent Return(string returnId, string orderId, params (string Sku, int Quantity)[] lines) =>
        Raw(new JsonObject
        {
            ["returnId"] = returnId,
            ["orderId"] = orderId,
            ["lines"] = new JsonArray(lines.Select(line => (JsonNode)new JsonObject { ["sku"] = line.Sku, ["quantity"] = line.Quantity }).ToArray()),
            ["reason"] = "did not fit",
        }.ToJsonString());

    /// <summary>The payment port failing its first refund, as a crash between the stock and the refund would leave it.</summary>
    private sealed class FailingOnce
    {
        private int _calls;

        public IPaymentGateway Around(IPaymentGateway inner) => new Gateway(this, inner);

        private sealed class Gateway(FailingOnce owner, IPaymentGateway inner) : IPaymentGateway
        {
            public Task<RefundStatus> RefundAsync(string refundId, string orderId, string? paymentReference, decimal amount, string reason, CancellationToken cancellationToken) =>
                Interlocked.Increment(ref owner._calls) == 1
                    ? throw new InvalidOperationException("The payment provider did not answer.")
                    : inner.RefundAsync(refundId, orderId, paymentReference, amount, reason, cancellationToken);
        }
    }
}
