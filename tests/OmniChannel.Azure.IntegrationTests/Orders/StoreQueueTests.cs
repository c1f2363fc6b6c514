using System.Net;
using Microsoft.Azure.Cosmos;
using OmniChannel.Azure.Cosmos;
using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Core.Events;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Stores;

namespace OmniChannel.Azure.IntegrationTests.Orders;

/// <summary>The store-partitioned queue projection on the real Cosmos protocol server: written with each order save, read back through the orders.</summary>
[Collection(ServersCollection.Name)]
public sealed class StoreQueueTests(ServersFixture servers)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 14, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ListOpenAtStore_SavedOrders_ShowAtTheirStoreOldestFirstWithTheirCurrentStatus()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var orders = backbone.Get<IOrderStore>();

        // Placed with a local offset: 09:30-05:00 is 14:30Z, between the other two.
        await orders.SaveAsync(Order("W/1001", "0001", T0.AddHours(1)), null, CancellationToken.None);
        await orders.SaveAsync(Order("A-1", "0001", T0), null, CancellationToken.None);
        await orders.SaveAsync(Order("A-2", "0001", new DateTimeOffset(2026, 11, 25, 9, 30, 0, TimeSpan.FromHours(-5))), null, CancellationToken.None);
        await orders.SaveAsync(Order("B-1", "0002", T0), null, CancellationToken.None);
        await SetStatusAsync(orders, "A-2", OrderStatus.Ready);
        await SetStatusAsync(orders, "W/1001", OrderStatus.Collected);

        var atFirst = await orders.ListOpenAtStoreAsync("0001", 10, CancellationToken.None);
        var atSecond = await orders.ListOpenAtStoreAsync("0002", 10, CancellationToken.None);

        Assert.Equal([("A-1", OrderStatus.Reserved), ("A-2", OrderStatus.Ready)], atFirst.Select(order => (order.Id, order.Status)));
        Assert.Equal(["B-1"], atSecond.Select(order => order.Id));
        Assert.DoesNotContain(await backbone.ReadAllAsync(CosmosContainers.StoreOrders.Name), entry => entry.GetProperty("orderId").GetString() == "W/1001");
    }

    [Fact]
    public async Task ListOpenAtStore_OrderMovedToAnotherStore_LeavesTheOldStoresQueueAndItsEntryIsTidiedAway()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var orders = backbone.Get<IOrderStore>();
        await orders.SaveAsync(Order("M-1", "0001", T0), null, CancellationToken.None);
        await orders.SaveAsync(Order("M-2", "0001", T0.AddMinutes(1)), null, CancellationToken.None);

        var stored = (await orders.GetAsync("M-1", CancellationToken.None))!;
        stored.Value.StoreId = "0003";
        await orders.SaveAsync(stored.Value, stored.ETag, CancellationToken.None);

        Assert.Equal(["M-2"], (await orders.ListOpenAtStoreAsync("0001", 10, CancellationToken.None)).Select(order => order.Id));
        Assert.Equal(["M-1"], (await orders.ListOpenAtStoreAsync("0003", 10, CancellationToken.None)).Select(order => order.Id));
        var oldEntry = await Assert.ThrowsAsync<CosmosException>(() =>
            backbone.Get<CosmosDatabaseAccessor>().Container(CosmosContainers.StoreOrders).ReadItemAsync<object>("M-1", new PartitionKey("0001")));
        Assert.Equal(HttpStatusCode.NotFound, oldEntry.StatusCode);
    }

    [Fact]
    public async Task ListOpenAtStore_MoreOrdersThanTheLimit_AnswersTheOldestInOneQuery()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var orders = backbone.Get<IOrderStore>();
        for (var minute = 24; minute >= 0; minute--)
        {
            await orders.SaveAsync(Order($"L-{minute:D2}", "0004", T0.AddMinutes(minute)), null, CancellationToken.None);
        }

        var oldest = await orders.ListOpenAtStoreAsync("0004", 10, CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 10).Select(minute => $"L-{minute:D2}"), oldest.Select(order => order.Id));
    }

    [Fact]
    public async Task StoreQueue_OverTheRealStores_GivesEachOrderItsQueueState()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        await backbone.Get<IStoreDirectory>().UpsertAsync(StoreSeed.Generate(), CancellationToken.None);
        var orders = backbone.Get<IOrderStore>();

        // The backbone runs on the system clock: times relative to it.
        var now = DateTimeOffset.UtcNow;
        var overdue = Order("Q-1", "0001", now.AddDays(-1));
        overdue.PickDueAt = now.AddDays(-1).AddHours(2);
        var awaiting = Order("Q-2", "0001", now.AddHours(-1));
        awaiting.PickDueAt = now.AddHours(1);
        await orders.SaveAsync(overdue, null, CancellationToken.None);
        await orders.SaveAsync(awaiting, null, CancellationToken.None);
        await orders.SaveAsync(Order("Q-3", "0001", now.AddHours(-2)), null, CancellationToken.None);
        await SetStatusAsync(orders, "Q-3", OrderStatus.Ready);

        var queue = await backbone.Get<StoreQueueService>().GetAsync("0001", new HashSet<StoreQueueState>(), CancellationToken.None);

        Assert.Equal(
            [("Q-1", StoreQueueState.Overdue), ("Q-3", StoreQueueState.Ready), ("Q-2", StoreQueueState.AwaitingPick)],
            queue!.Orders.Select(entry => (entry.Order.Id, entry.Queue)));
        Assert.Null(await backbone.Get<StoreQueueService>().GetAsync("9999", new HashSet<StoreQueueState>(), CancellationToken.None));
    }

    private static async Task SetStatusAsync(IOrderStore orders, string orderId, OrderStatus status)
    {
        var stored = (await orders.GetAsync(orderId, CancellationToken.None))!;
        stored.Value.Status = status;
        await orders.SaveAsync(stored.Value, stored.ETag, CancellationToken.None);
    }

    private static PickupOrder Order(string id, string storeId, DateTimeOffset placedAt) => new()
    {
        Id = id,
        CustomerId = "c-" + id,
        StoreId = storeId,
        Lines = [new OrderLine("SKU-Q", 1, 5m)],
        PlacedAt = placedAt,
        UpdatedAt = placedAt,
        Status = OrderStatus.Reserved,
    };
}
