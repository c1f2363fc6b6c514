using OmniChannel.Core.Events;

namespace OmniChannel.Core.Inventory;

/// <summary>Turns events into stock movements and applies them idempotently.</summary>
public static class InventoryProjector
{
    public const int AppliedEventKeyLimit = 256;

    public static IEnumerable<StockMovement> Movements(OmniEvent omniEvent) => omniEvent.Payload switch
    {
        InventoryAdjusted adjusted => [new StockMovement(adjusted.StoreId, adjusted.Sku, adjusted.Delta, omniEvent.Key, omniEvent.Time)],
        PosSale sale => SaleMovements(sale, omniEvent.Key, omniEvent.Time),
        _ => [],
    };

    /// <summary>True for the events <see cref="Movements"/> answers movements for: few do, and asking costs an enumerator.</summary>
    internal static bool MovesStock(OmniEvent omniEvent) => omniEvent.Payload is InventoryAdjusted or PosSale;

    /// <summary>Applies one movement; answers false when its event moved this item before.</summary>
    public static bool Apply(InventoryItem item, StockMovement movement)
    {
        if (item.AppliedEventKeys.Contains(movement.EventKey))
        {
            return false;
        }

        Remember(item, movement.EventKey);

        // On-hand may go negative: a POS sale is a fact, and a negative count tells the store to recount.
        item.OnHand += movement.Delta;
        if (item.UpdatedAt is null || movement.Time > item.UpdatedAt)
        {
            item.UpdatedAt = movement.Time;
        }

        return true;
    }

    /// <summary>Adds an applied event's key to the item's recent keys, keeping the newest <see cref="AppliedEventKeyLimit"/>.</summary>
    public static void Remember(InventoryItem item, string eventKey)
    {
        ArgumentNullException.ThrowIfNull(item);
        item.AppliedEventKeys.Add(eventKey);
        if (item.AppliedEventKeys.Count > AppliedEventKeyLimit)
        {
            item.AppliedEventKeys.RemoveRange(0, item.AppliedEventKeys.Count - AppliedEventKeyLimit);
        }
    }

    // Apart from Movements, so the lambdas' captures cost an allocation only for a sale, not for every event.
    private static IEnumerable<StockMovement> SaleMovements(PosSale sale, string eventKey, DateTimeOffset time) => sale.Lines
        .GroupBy(line => line.Sku, StringComparer.Ordinal)
        .Select(group => new StockMovement(sale.StoreId, group.Key, -group.Sum(line => line.Quantity), eventKey, time));
}
