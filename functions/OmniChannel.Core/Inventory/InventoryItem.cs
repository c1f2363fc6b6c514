namespace OmniChannel.Core.Inventory;

/// <summary>Stock of one SKU at one store (Cosmos <c>inventory</c> container, partitioned by store; id = SKU).</summary>
public sealed class InventoryItem
{
    public required string StoreId { get; set; }

    public required string Sku { get; set; }

    public int OnHand { get; set; }

    public int Reserved { get; set; }

    public int Available => OnHand - Reserved;

    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>Units held per pickup order (order id → quantity); <see cref="Reserved"/> is their sum, kept in the same document so both change together.</summary>
    public Dictionary<string, int> Reservations { get; set; } = [];

    /// <summary>
    /// The keys of the most recently applied events: a redelivery soon after moves stock once without a ledger read, and
    /// a failure between the item's save and its ledger entries is caught on the retry (see <see cref="InventoryUpdater"/>).
    /// </summary>
    public List<string> AppliedEventKeys { get; set; } = [];
}
