using OmniChannel.Core.Events;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;
using OmniChannel.TestSupport.Fakes;

namespace OmniChannel.Core.UnitTests.Orders;

/// <summary>A partial pick's writes under failure: the order first, then the stock, each once.</summary>
public sealed class PickServiceTests
{
    private const string Store = "0001";

    private static readonly DateTimeOffset At = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private readonly InMemoryInventoryStore _inventory = new();
    private readonly InMemoryOrderStore _orders = new();
    private readonly ReservationService _reservations;
    private readonly PickService _picks;

    public PickServiceTests()
    {
        _reservations = new ReservationService(_inventory);
        _picks = new PickService(_orders, _reservations);
        _inventory.Stock(Store, "SKU-1", onHand: 5);
        _inventory.Stock(Store, "SKU-9", onHand: 2);
    }

    [Fact]
    public async Task RecordAsync_StockUnavailableAfterTheOrderWasWritten_RetryMovesTheStockOnce_FirstPickStands()
    {
        var order = await PlaceAsync("o-crash", new OrderLine("SKU-1", 3, 10m));
        _inventory.BeUnavailableFor(reads: 1);

        await Assert.ThrowsAsync<TransientStorageException>(() => _picks.RecordAsync(order.Id, [new PickedLine("SKU-1", 1, "SKU-9", 1)], At, CancellationToken.None));
        Assert.Equal([new PickedLine("SKU-1", 1, "SKU-9", 1)], (await _orders.GetAsync(order.Id, CancellationToken.None))!.Value.PickAdjustments);
        Assert.Equal((5, 3), (_inventory.Get(Store, "SKU-1").OnHand, _inventory.Get(Store, "SKU-1").Reserved));

        // The activity's retries (the same step again, twice).
        await _picks.RecordAsync(order.Id, [new PickedLine("SKU-1", 1, "SKU-9", 1)], At, CancellationToken.None);
        var again = await _picks.RecordAsync(order.Id, [new PickedLine("SKU-1", 0)], At, CancellationToken.None);

        Assert.Equal([new PickedLine("SKU-1", 1, "SKU-9", 1)], again.PickAdjustments);
        Assert.Equal((4, 1), (_inventory.Get(Store, "SKU-1").OnHand, _inventory.Get(Store, "SKU-1").Reserved));
        Assert.Equal((2, 1), (_inventory.Get(Store, "SKU-9").OnHand, _inventory.Get(Store, "SKU-9").Reserved));
        Assert.Equal(2, _inventory.LedgerWrites);
    }

    [Fact]
    public async Task RecordAsync_SubstituteBeyondWhatIsAvailable_IsHeldAnyway()
    {
        _inventory.Stock(Store, "SKU-8", onHand: 0);
        var order = await PlaceAsync("o-in-hand", new OrderLine("SKU-1", 2, 10m));

        await _picks.RecordAsync(order.Id, [new PickedLine("SKU-1", 0, "SKU-8", 2)], At, CancellationToken.None);

        var substitute = _inventory.Get(Store, "SKU-8");
        Assert.Equal((0, 2, -2), (substitute.OnHand, substitute.Reserved, substitute.Available));
    }

    [Fact]
    public void RefundDue_ShortThenRemainder_NeverMoreThanWasPaid()
    {
        var order = new PickupOrder
        {
            Id = "o-sum", CustomerId = "c", StoreId = Store, Lines = [new OrderLine("SKU-1", 3, 3.33m), new OrderLine("SKU-2", 1, 0.01m)],
            PickAdjustments = [new PickedLine("SKU-1", 1), new PickedLine("SKU-2", 0)],
        };

        var shortAmount = order.RefundDue("o-sum:short");
        order.Refunds["o-sum:short"] = shortAmount;
        var remainder = order.RefundDue("o-sum:refund");
        order.Refunds["o-sum:refund"] = remainder;

        Assert.Equal((6.67m, 3.33m), (shortAmount, remainder));
        Assert.Equal(order.Total, order.Refunded);
        Assert.Equal(shortAmount, order.RefundDue("o-sum:short"));
    }

    private async Task<PickupOrder> PlaceAsync(string orderId, params OrderLine[] lines)
    {
        var order = new PickupOrder { Id = orderId, CustomerId = "c", StoreId = Store, Lines = [.. lines], Status = OrderStatus.Reserved, PlacedAt = At, UpdatedAt = At };
        await _orders.SaveAsync(order, null, CancellationToken.None);
        Assert.True((await _reservations.ReserveAsync(orderId, Store, lines, CancellationToken.None)).Reserved);
        return order;
    }
}
