using OmniChannel.Core.Ports;

namespace OmniChannel.Core.Orders;

/// <summary>
/// A partial pick, made crash-safe in two steps: the adjustments are written on the order first (ETag-guarded; a
/// repeat finds them there and keeps the first), then the stock moves (<see cref="ReservationService.AdjustForPickAsync"/>,
/// once per SKU by the store's ledger). A retry after a crash between or inside the steps does the same moves once.
/// </summary>
public sealed class PickService(IOrderStore orders, ReservationService reservations)
{
    private const int ConflictRetries = 20;

    /// <summary>Records the pick and moves its stock; answers the order as it stands after the pick.</summary>
    /// <exception cref="InvalidOperationException">The pick breaks <see cref="OrderPick.Check"/> (the API checks first, so this is a bug), or the order is missing.</exception>
    public async Task<PickupOrder> RecordAsync(string orderId, IReadOnlyList<PickedLine> lines, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var order = await RecordAdjustmentsAsync(orderId, lines, at, cancellationToken);
        await reservations.AdjustForPickAsync(order, at, cancellationToken);
        return order;
    }

    private async Task<PickupOrder> RecordAdjustmentsAsync(string orderId, IReadOnlyList<PickedLine> lines, DateTimeOffset at, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var stored = await orders.GetAsync(orderId, cancellationToken)
                         ?? throw new InvalidOperationException($"Order {orderId} does not exist; it must be stored before its workflow starts.");
            var order = stored.Value;
            if (order.PickAdjustments.Count > 0)
            {
                return order;
            }

            if (OrderPick.Check(order, lines) is { Count: > 0 } errors)
            {
                throw new InvalidOperationException($"The pick of order {orderId} is invalid: {string.Join("; ", errors.Select(error => $"{error.Field}: {error.Message}"))}");
            }

            order.PickAdjustments = OrderPick.Adjustments(order, lines);
            order.UpdatedAt = at;
            try
            {
                await orders.SaveAsync(order, stored.ETag, cancellationToken);
                return order;
            }
            catch (StorageConflictException) when (attempt < ConflictRetries)
            {
                // The workflow's status step or the API changed the order meanwhile: read again.
            }
        }
    }
}
