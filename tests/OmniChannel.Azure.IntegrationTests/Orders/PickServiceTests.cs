using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Core.Events;
using OmniChannel.Core.Inventory;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;
using static OmniChannel.Azure.IntegrationTests.Fixtures.Events;

namespace OmniChannel.Azure.IntegrationTests.Orders;

/// <summary>The stock of a partial pick on the Cosmos protocol server: held, on-hand and available after the pick and after the hand-over.</summary>
[Collection(ServersCollection.Name)]
public sealed class PickServiceTests(ServersFixture servers)
{
    private const string Store = "0008";

    [Fact]
    public async Task Record_ShortLineAndSubstitute_ShortUnitsLeaveHoldAndOnHand_SubstituteHeld_RetryMovesNothingTwice_HandOverTakesPickedAndSubstitute()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        await backbone.IngestAsync([InventoryAdjusted("k-1", 1, Store, "SKU-A", 5), InventoryAdjusted("k-2", 1, Store, "SKU-B", 2), InventoryAdjusted("k-3", 1, Store, "SKU-S", 3)]);
        var order = await PlaceAsync(backbone, "o-pick-1", new OrderLine("SKU-A", 2, 10m), new OrderLine("SKU-B", 1, 4m));
        PickedLine[] pick = [new("SKU-A", 1), new("SKU-B", 0, "SKU-S", 1)];

        var picks = backbone.Get<PickService>();
        await picks.RecordAsync(order.Id, pick, At(5), CancellationToken.None);
        var picked = await picks.RecordAsync(order.Id, pick, At(6), CancellationToken.None);

        // SKU-A: one unit found missing leaves the hold and on-hand; the picked one stays held.
        Assert.Equal((4, 1, 3), await CountsAsync(backbone, "SKU-A"));
        Assert.Equal((2, 0, 2), await CountsAsync(backbone, "SKU-B"));
        Assert.Equal((3, 1, 2), await CountsAsync(backbone, "SKU-S"));
        Assert.Equal(10m, picked.ShortAmount);
        var recorded = await backbone.Get<IInventoryStore>().RecordedMovementsAsync(Store, ["o-pick-1/pick:SKU-A", "o-pick-1/pick:SKU-S"], CancellationToken.None);
        Assert.Equal(2, recorded.Count);
        var stored = (await backbone.Get<IOrderStore>().GetAsync(order.Id, CancellationToken.None))!.Value;
        Assert.Equal([new PickedLine("SKU-A", 1), new PickedLine("SKU-B", 0, "SKU-S", 1)], stored.PickAdjustments);

        await backbone.Get<ReservationService>().HandOverAsync(order.Id, Store, OrderPick.HeldLines(stored), CancellationToken.None);

        Assert.Equal((3, 0, 3), await CountsAsync(backbone, "SKU-A"));
        Assert.Equal((2, 0, 2), await CountsAsync(backbone, "SKU-B"));
        Assert.Equal((2, 0, 2), await CountsAsync(backbone, "SKU-S"));
    }

    [Fact]
    public async Task Record_ShortUnitsAWalkInSaleTook_AreNotTakenOffOnHandTwice_TheOrderIsNoLongerShort()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        await backbone.IngestAsync([InventoryAdjusted("w-1", 1, Store, "SKU-W", 2)]);
        var order = await PlaceAsync(backbone, "o-pick-2", new OrderLine("SKU-W", 2, 7.5m));
        await backbone.IngestAsync([PosSale("w-2", 2, Store, "c-walk-in", ("SKU-W", 1))]);
        Assert.Equal((1, 2, -1), await CountsAsync(backbone, "SKU-W"));
        Assert.Equal([order.Id], (await ItemAsync(backbone, "SKU-W")).ShortOrders);

        await backbone.Get<PickService>().RecordAsync(order.Id, [new PickedLine("SKU-W", 1)], At(5), CancellationToken.None);

        // The till already took the missing unit off on-hand: the one left is the one picked.
        Assert.Equal((1, 1, 0), await CountsAsync(backbone, "SKU-W"));
        Assert.Empty((await ItemAsync(backbone, "SKU-W")).ShortOrders);
    }

    /// <summary>Stores the order and holds its lines, as placing it does.</summary>
    private static async Task<PickupOrder> PlaceAsync(Backbone backbone, string orderId, params OrderLine[] lines)
    {
        var order = new PickupOrder { Id = orderId, CustomerId = "c-pick", StoreId = Store, Lines = [.. lines], PlacedAt = At(3), Status = OrderStatus.Reserved, UpdatedAt = At(3) };
        await backbone.Get<IOrderStore>().SaveAsync(order, null, CancellationToken.None);
        Assert.True((await backbone.Get<ReservationService>().ReserveAsync(orderId, Store, lines, CancellationToken.None)).Reserved);
        return order;
    }

    private static async Task<InventoryItem> ItemAsync(Backbone backbone, string sku) =>
        (await backbone.Get<IInventoryStore>().ReadAsync(Store, sku, CancellationToken.None))!.Value;

    private static async Task<(int OnHand, int Reserved, int Available)> CountsAsync(Backbone backbone, string sku)
    {
        var item = await ItemAsync(backbone, sku);
        return (item.OnHand, item.Reserved, item.Available);
    }
}
