namespace OmniChannel.Core.Orders;

/// <summary>What <c>GET /api/stores/{storeId}/orders</c> answers: the store's pickup queue, oldest order first.</summary>
/// <param name="At">The time the queue states were worked out at (countdowns in the page start from it).</param>
public sealed record StoreQueue(string StoreId, DateTimeOffset At, IReadOnlyList<StoreQueueEntry> Orders);

/// <summary>One order in a store's queue and which part of the queue it belongs to.</summary>
/// <param name="Short">The shelf no longer covers all of its held units: a walk-in sale took some (see <see cref="Inventory.InventoryItem.ShortOrders"/>).</param>
public sealed record StoreQueueEntry(PickupOrder Order, StoreQueueState Queue, bool Short = false);

/// <summary>The three parts of a store's pickup queue (<c>?status=</c> filters on them, comma-separated).</summary>
public enum StoreQueueState
{
    /// <summary>Reserved at the store, to be picked before <see cref="PickupOrder.PickDueAt"/>.</summary>
    AwaitingPick,

    /// <summary>Picked; waiting for the customer until <see cref="PickupOrder.CollectBy"/>.</summary>
    Ready,

    /// <summary>Still not picked after its pick SLA (<see cref="PickupOrder.PickDueAt"/> has passed).</summary>
    Overdue,
}
