using OmniChannel.Core.Inventory;
using OmniChannel.Core.Ports;

namespace OmniChannel.Core.Orders;

/// <summary>
/// A store's pickup queue for its associates: reserved orders (awaiting pick, or overdue once their pick SLA has
/// passed) and ready ones, oldest placed first, with each order's status as its order document says now, and whether a
/// walk-in sale took units it holds (<see cref="InventoryItem.ShortOrders"/> of its lines' items).
/// </summary>
public sealed class StoreQueueService(IStoreDirectory stores, IOrderStore orders, IInventoryStore inventory, TimeProvider clock)
{
    /// <summary>The most orders one answer lists: a tablet page, not an export; a longer backlog shows its oldest part.</summary>
    public const int MaxOrders = 200;

    /// <summary>The queue, or null when the store is not in the directory. An empty <paramref name="only"/> keeps every state.</summary>
    public async Task<StoreQueue?> GetAsync(string storeId, IReadOnlySet<StoreQueueState> only, CancellationToken cancellationToken)
    {
        if (await stores.GetAsync(storeId, cancellationToken) is null)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var open = await orders.ListOpenAtStoreAsync(storeId, MaxOrders, cancellationToken);
        var entries = open
            .Select(order => (Order: order, State: StateOf(order, now)))
            .Where(entry => entry.State is { } state && (only.Count == 0 || only.Contains(state)))
            .OrderBy(entry => entry.Order.PlacedAt)
            .ThenBy(entry => entry.Order.Id, StringComparer.Ordinal)
            .ToList();
        var shortOrders = await ShortOrdersAsync(storeId, entries.Select(entry => entry.Order), cancellationToken);
        return new StoreQueue(storeId, now, entries.Select(entry => new StoreQueueEntry(entry.Order, entry.State!.Value, shortOrders.Contains(entry.Order.Id))).ToList());
    }

    /// <summary>The listed orders that lost held units to a walk-in sale: one point read per SKU they hold at the store.</summary>
    private async Task<HashSet<string>> ShortOrdersAsync(string storeId, IEnumerable<PickupOrder> listed, CancellationToken cancellationToken)
    {
        var shortOrders = new HashSet<string>(StringComparer.Ordinal);
        var skus = listed.SelectMany(order => order.Lines).Select(line => line.Sku).Distinct(StringComparer.Ordinal);
        foreach (var sku in skus)
        {
            if (await inventory.ReadAsync(storeId, sku, cancellationToken) is { } item)
            {
                shortOrders.UnionWith(item.Value.ShortOrders);
            }
        }

        return shortOrders;
    }

    /// <summary>Where an order stands in its store's queue at <paramref name="now"/>; null when it is not the store's to act on.</summary>
    public static StoreQueueState? StateOf(PickupOrder order, DateTimeOffset now) => order.Status switch
    {
        OrderStatus.Reserved when order.PickDueAt < now => StoreQueueState.Overdue,
        OrderStatus.Reserved => StoreQueueState.AwaitingPick,
        OrderStatus.Ready => StoreQueueState.Ready,

        // Placed is still reserving (no pick task yet); the others have ended.
        _ => null,
    };
}
