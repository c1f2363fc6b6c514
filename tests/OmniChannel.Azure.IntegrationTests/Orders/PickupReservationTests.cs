using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Core.Events;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Stores;
using static OmniChannel.Azure.IntegrationTests.Fixtures.Events;

namespace OmniChannel.Azure.IntegrationTests.Orders;

/// <summary>
/// Issue 16: placing an order never leaves units held without their order, whichever write fails, a repeat of the
/// request finishes the job, multi-line holds are all or nothing per order, and a walk-in sale of held units flags the
/// orders that lost them.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class PickupReservationTests(ServersFixture servers)
{
    private const string Store = "0001";

    [Fact]
    public async Task PlaceOrder_FailsAtEachWrite_NeverAHoldWithoutItsOrder_RepeatEndsHoldingExactlyTheLines()
    {
        await using var host = await StartAsync();
        await host.Backbone.IngestAsync([InventoryAdjusted("f-1", 1, Store, "SKU-F1", 100), InventoryAdjusted("f-2", 1, Store, "SKU-F2", 100)]);
        var faults = host.Backbone.Get<FailingOrderWrites>();

        foreach (var afterStoring in new[] { false, true })
        {
            for (var failAt = 1; failAt <= 5; failAt++)
            {
                var orderId = $"o-{failAt}{(afterStoring ? "a" : "b")}";
                var step = $"write {failAt} failing {(afterStoring ? "after" : "before")} it was stored";
                faults.Arm(failAt, afterStoring);
                var first = await host.Client.PostAsync("/api/orders", Order(orderId, ("SKU-F2", 2), ("SKU-F1", 1)));
                Assert.True(first.StatusCode == (faults.Failed ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.Accepted), $"{step}: {first.StatusCode}");
                await AssertEveryHoldHasItsOrderAsync(host, step, "SKU-F1", "SKU-F2");

                faults.Arm(0);
                var repeat = await host.Client.PostAsync("/api/orders", Order(orderId, ("SKU-F2", 2), ("SKU-F1", 1)));

                Assert.True(repeat.StatusCode == HttpStatusCode.Accepted, $"{step}, repeat: {repeat.StatusCode} {await repeat.Content.ReadAsStringAsync()}");
                Assert.Equal(OrderStatus.Reserved, (await host.Backbone.Get<IOrderStore>().GetAsync(orderId, CancellationToken.None))!.Value.Status);
                Assert.Equal(1, await HeldAsync(host, "SKU-F1", orderId));
                Assert.Equal(2, await HeldAsync(host, "SKU-F2", orderId));
                Assert.True(host.Workflows.Started.ContainsKey(BopisWorkflow.InstanceIdFor(orderId)), step);
            }
        }

        var f1 = await ItemAsync(host, "SKU-F1");
        Assert.Equal(10, f1.Reserved);
        Assert.Equal(f1.Reservations.Values.Sum(), f1.Reserved);
    }

    [Fact]
    public async Task PlaceOrder_OneLineShort_FailsAtEachWrite_RepeatEndsRejectedHoldingNothing()
    {
        await using var host = await StartAsync();
        await host.Backbone.IngestAsync([InventoryAdjusted("s-1", 1, Store, "SKU-S1", 100)]);
        var faults = host.Backbone.Get<FailingOrderWrites>();

        foreach (var afterStoring in new[] { false, true })
        {
            for (var failAt = 1; failAt <= 5; failAt++)
            {
                var orderId = $"o-s{failAt}{(afterStoring ? "a" : "b")}";
                var step = $"write {failAt} failing {(afterStoring ? "after" : "before")} it was stored";
                faults.Arm(failAt, afterStoring);
                var first = await host.Client.PostAsync("/api/orders", Order(orderId, ("SKU-S1", 1), ("SKU-ZZ-NONE", 1)));
                Assert.True(first.StatusCode == (faults.Failed ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.Conflict), $"{step}: {first.StatusCode}");
                await AssertEveryHoldHasItsOrderAsync(host, step, "SKU-S1");

                faults.Arm(0);
                var repeat = await host.Client.PostAsync("/api/orders", Order(orderId, ("SKU-S1", 1), ("SKU-ZZ-NONE", 1)));

                Assert.True(repeat.StatusCode == HttpStatusCode.Conflict, $"{step}, repeat: {repeat.StatusCode}");
                Assert.Contains("shortages", await repeat.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                Assert.Equal(0, await HeldAsync(host, "SKU-S1", orderId));
                var order = await host.Backbone.Get<IOrderStore>().GetAsync(orderId, CancellationToken.None);
                Assert.True(order is null || order.Value.Status == OrderStatus.Rejected, step);
            }
        }

        Assert.Equal(0, (await ItemAsync(host, "SKU-S1")).Reserved);
        Assert.Empty(host.Workflows.Started);
    }

    [Fact]
    public async Task PlaceOrder_SameIdOtherLinesDuringTheFirstRequest_Answers409AndHoldsNothingOfIt()
    {
        await using var host = await StartAsync();
        await host.Backbone.IngestAsync([InventoryAdjusted("d-1", 1, Store, "SKU-D1", 5), InventoryAdjusted("d-2", 1, Store, "SKU-D2", 5)]);
        var faults = host.Backbone.Get<FailingOrderWrites>();
        HttpResponseMessage? other = null;
        faults.Arm(1, afterWrite: async () => other = await host.Client.PostAsync("/api/orders", Order("o-d", ("SKU-D2", 1))));

        var first = await host.Client.PostAsync("/api/orders", Order("o-d", ("SKU-D1", 1)));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.NotNull(other);
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Order id taken", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await HeldAsync(host, "SKU-D1", "o-d"));
        Assert.Equal(0, (await ItemAsync(host, "SKU-D2")).Reserved);
        var order = (await host.Backbone.Get<IOrderStore>().GetAsync("o-d", CancellationToken.None))!.Value;
        Assert.Equal("SKU-D1", Assert.Single(order.Lines).Sku);
    }

    [Fact]
    public async Task PlaceOrder_TwoOrdersForTheLastUnitsOfTwoSkusInOppositeLineOrder_AtMostOneFails_TheLoserHoldsNothing()
    {
        await using var host = await StartAsync();
        const int rounds = 6;
        await host.Backbone.IngestAsync(Enumerable.Range(0, rounds).SelectMany(round => new[]
        {
            InventoryAdjusted($"l-{round}-a", 1, Store, $"SKU-L{round}A", 1),
            InventoryAdjusted($"l-{round}-b", 1, Store, $"SKU-L{round}B", 1),
        }));

        for (var round = 0; round < rounds; round++)
        {
            var (a, b) = ($"SKU-L{round}A", $"SKU-L{round}B");
            var responses = await Task.WhenAll(
                host.Client.PostAsync("/api/orders", Order($"o-x{round}", (a, 1), (b, 1))),
                host.Client.PostAsync("/api/orders", Order($"o-y{round}", (b, 1), (a, 1))));

            var won = responses.Count(response => response.StatusCode == HttpStatusCode.Accepted);
            Assert.True(won >= 1, $"round {round}: both orders were rejected");
            Assert.All(responses, response => Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Accepted, HttpStatusCode.Conflict }));
            foreach (var (orderId, response) in new[] { ($"o-x{round}", responses[0]), ($"o-y{round}", responses[1]) })
            {
                var expected = response.StatusCode == HttpStatusCode.Accepted ? 1 : 0;
                Assert.Equal(expected, await HeldAsync(host, a, orderId));
                Assert.Equal(expected, await HeldAsync(host, b, orderId));
            }
        }
    }

    [Fact]
    public async Task WalkInSale_TakesHeldUnits_TheNewestHoldIsShortInTheStoreQueue_UntilStockArrives()
    {
        await using var host = await StartAsync();
        await host.Backbone.IngestAsync([InventoryAdjusted("w-1", 1, Store, "SKU-W", 3), InventoryAdjusted("w-2", 1, Store, "SKU-V", 5)]);
        Assert.Equal(HttpStatusCode.Accepted, (await host.Client.PostAsync("/api/orders", Order("o-w-old", ("SKU-W", 2), ("SKU-V", 1)))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await host.Client.PostAsync("/api/orders", Order("o-w-new", ("SKU-W", 1)))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await host.Client.PostAsync("/api/orders", Order("o-w-other", ("SKU-V", 1)))).StatusCode);

        // The till is offline-first: the sale is a fact, and it takes a unit the shelf no longer has free.
        await host.Backbone.IngestAsync([PosSale("w-3", 2, Store, "c-walk-in", ("SKU-W", 1))]);
        var afterSale = await ShortInQueueAsync(host);
        var itemAfterSale = await ItemAsync(host, "SKU-W");
        await host.Backbone.IngestAsync([InventoryAdjusted("w-4", 3, Store, "SKU-W", 1)]);
        var afterReceiving = await ShortInQueueAsync(host);

        Assert.Equal(new Dictionary<string, bool> { ["o-w-old"] = false, ["o-w-new"] = true, ["o-w-other"] = false }, afterSale);
        Assert.Equal((2, 3), (itemAfterSale.OnHand, itemAfterSale.Reserved));
        Assert.Equal(["o-w-new"], itemAfterSale.ShortOrders);
        Assert.All(afterReceiving.Values, Assert.False);
    }

    [Fact]
    public async Task Sweep_ReleasesHoldsOfMissingOrEndedOrders_KeepsOpenOnes_HandsOverCollected()
    {
        await using var host = await StartAsync();
        await host.Backbone.IngestAsync([InventoryAdjusted("g-1", 1, Store, "SKU-G1", 10), InventoryAdjusted("g-2", 1, Store, "SKU-G2", 10)]);
        foreach (var orderId in new[] { "o-open", "o-cancelled", "o-collected" })
        {
            Assert.Equal(HttpStatusCode.Accepted, (await host.Client.PostAsync("/api/orders", Order(orderId, ("SKU-G1", 1), ("SKU-G2", 2)))).StatusCode);
        }

        // A hold planted for an order that does not exist (a request that stopped before the order-first fix, or an
        // order erased since), and two orders that ended while their holds stayed (a release or hand-over that failed).
        var reservations = host.Backbone.Get<ReservationService>();
        Assert.True((await reservations.ReserveAsync("o-ghost", Store, [new OrderLine("SKU-G2", 3, 1m)], CancellationToken.None)).Reserved);
        var orders = host.Backbone.Get<IOrderStore>();
        foreach (var (orderId, status) in new[] { ("o-cancelled", OrderStatus.Cancelled), ("o-collected", OrderStatus.Collected) })
        {
            var stored = (await orders.GetAsync(orderId, CancellationToken.None))!;
            stored.Value.Status = status;
            await orders.SaveAsync(stored.Value, stored.ETag, CancellationToken.None);
        }

        var report = await host.Backbone.Get<ReservationSweeper>().SweepAsync(CancellationToken.None);
        var again = await host.Backbone.Get<ReservationSweeper>().SweepAsync(CancellationToken.None);

        Assert.Equal(3, report.OrdersReleased);
        Assert.Equal(0, again.OrdersReleased);
        var (g1, g2) = (await ItemAsync(host, "SKU-G1"), await ItemAsync(host, "SKU-G2"));
        Assert.Equal(["o-open"], g1.Reservations.Keys);
        Assert.Equal(["o-open"], g2.Reservations.Keys);
        Assert.Equal((9, 1), (g1.OnHand, g1.Reserved));
        Assert.Equal((8, 2), (g2.OnHand, g2.Reserved));
    }

    [Fact]
    public async Task Sweep_PlacementStoppedHalfWayAndNeverRetried_RejectsItReleasesItsHolds_ARetryPlacesItAgain()
    {
        await using var host = await StartAsync();
        await host.Backbone.IngestAsync([InventoryAdjusted("h-1", 1, Store, "SKU-H1", 4)]);
        var faults = host.Backbone.Get<FailingOrderWrites>();
        var orders = host.Backbone.Get<IOrderStore>();
        foreach (var orderId in new[] { "o-stalled", "o-stalled-recent" })
        {
            // The third write (order, hold, confirmation) fails: the order stays placed with its line held and no workflow.
            faults.Arm(3);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await host.Client.PostAsync("/api/orders", Order(orderId, ("SKU-H1", 2)))).StatusCode);
            faults.Arm(0);
        }

        var stalled = (await orders.GetAsync("o-stalled", CancellationToken.None))!;
        Assert.Equal(OrderStatus.Placed, stalled.Value.Status);
        stalled.Value.UpdatedAt -= ReservationSweeper.PlacementGiveUpAfter + TimeSpan.FromMinutes(1);
        await orders.SaveAsync(stalled.Value, stalled.ETag, CancellationToken.None);
        Assert.Equal(4, (await ItemAsync(host, "SKU-H1")).Reserved);

        var report = await host.Backbone.Get<ReservationSweeper>().SweepAsync(CancellationToken.None);

        Assert.Equal(1, report.OrdersReleased);
        Assert.Equal(OrderStatus.Rejected, (await orders.GetAsync("o-stalled", CancellationToken.None))!.Value.Status);
        Assert.Equal(OrderStatus.Placed, (await orders.GetAsync("o-stalled-recent", CancellationToken.None))!.Value.Status);
        Assert.Equal(new Dictionary<string, int> { ["o-stalled-recent"] = 2 }, (await ItemAsync(host, "SKU-H1")).Reservations);
        Assert.Empty(host.Workflows.Started);

        var retry = await host.Client.PostAsync("/api/orders", Order("o-stalled", ("SKU-H1", 2)));

        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Equal(OrderStatus.Reserved, (await orders.GetAsync("o-stalled", CancellationToken.None))!.Value.Status);
        Assert.Equal(2, await HeldAsync(host, "SKU-H1", "o-stalled"));
        Assert.True(host.Workflows.Started.ContainsKey(BopisWorkflow.InstanceIdFor("o-stalled")));
    }

    private static async Task<Dictionary<string, bool>> ShortInQueueAsync(HttpBackbone host)
    {
        var queue = await host.Client.GetFromJsonAsync<JsonElement>($"/api/stores/{Store}/orders");
        return queue.GetProperty("orders").EnumerateArray().ToDictionary(
            entry => entry.GetProperty("order").GetProperty("id").GetString()!, entry => entry.GetProperty("short").GetBoolean());
    }

    private async Task<HttpBackbone> StartAsync()
    {
        var host = await HttpBackbone.StartAsync(servers, configure: FailingOrderWrites.Register);
        await host.Backbone.Get<IStoreDirectory>().UpsertAsync(StoreSeed.Generate(), CancellationToken.None);
        return host;
    }

    private static async Task AssertEveryHoldHasItsOrderAsync(HttpBackbone host, string step, params string[] skus)
    {
        var orders = host.Backbone.Get<IOrderStore>();
        foreach (var sku in skus)
        {
            var item = await ItemAsync(host, sku);
            Assert.Equal(item.Reservations.Values.Sum(), item.Reserved);
            foreach (var orderId in item.Reservations.Keys)
            {
                Assert.True(await orders.GetAsync(orderId, CancellationToken.None) is not null, $"{step}: {sku} is held for {orderId}, which has no order");
            }
        }
    }

    private static async Task<int> HeldAsync(HttpBackbone host, string sku, string orderId) =>
        (await ItemAsync(host, sku)).Reservations.GetValueOrDefault(orderId);

    private static async Task<Core.Inventory.InventoryItem> ItemAsync(HttpBackbone host, string sku) =>
        (await host.Backbone.Get<IInventoryStore>().ReadAsync(Store, sku, CancellationToken.None))?.Value
        ?? new Core.Inventory.InventoryItem { StoreId = Store, Sku = sku };

    private static StringContent Order(string orderId, params (string Sku, int Quantity)[] lines) =>
        new(new JsonObject
        {
            ["orderid"] = orderId,
            ["customerid"] = "c-" + orderId,
            ["storeid"] = Store,
            ["fulfilment"] = "pickup",
            ["lines"] = new JsonArray(lines.Select(line => (JsonNode)new JsonObject { ["sku"] = line.Sku, ["quantity"] = line.Quantity, ["price"] = "12.50" }).ToArray()),
        }.ToJsonString(), Encoding.UTF8, "application/json");
}
