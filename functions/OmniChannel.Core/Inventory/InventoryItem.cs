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

    /// <summary>
    /// Units held per pickup order (order id → quantity); <see cref="Reserved"/> is their sum, kept in the same document so
    /// both change together. The entries stay in the order the holds were taken: each change reads the document, adds or
    /// removes one hold and saves it, so a new hold is always the last.
    /// </summary>
    public Dictionary<string, int> Reservations { get; set; } = [];

    /// <summary>
    /// The orders whose holds the shelf no longer covers: a walk-in sale (the till is offline-first and cannot be
    /// refused) took on-hand below <see cref="Reserved"/>. On-hand covers the oldest holds first, so the newest lose their
    /// units first. Worked out from the counts whenever the item is read, so it is right after every change (a sale, a
    /// receipt, a release); empty while on-hand covers every hold.
    /// </summary>
    public IReadOnlyList<string> ShortOrders
    {
        get
        {
            if (OnHand >= Reserved)
            {
                return [];
            }

            var shortOrders = new List<string>();
            var onHandLeft = Math.Max(0, OnHand);
            foreach (var (orderId, quantity) in Reservations)
            {
                if (onHandLeft >= quantity && shortOrders.Count == 0)
                {
                    onHandLeft -= quantity;
                }
                else
                {
                    shortOrders.Add(orderId);
                }
            }

            return shortOrders;
        }
    }

    /// <summary>
    /// How many of the order's held units on-hand still counts: on-hand covers the oldest holds first (as for
    /// <see cref="ShortOrders"/>), so units a walk-in sale took are missing from the newest holds.
    /// </summary>
    public int CoveredUnits(string orderId)
    {
        var onHandLeft = Math.Max(0, OnHand);
        foreach (var (heldFor, quantity) in Reservations)
        {
            if (heldFor == orderId)
            {
                return Math.Min(quantity, onHandLeft);
            }

            onHandLeft = Math.Max(0, onHandLeft - quantity);
        }

        return 0;
    }

    /// <summary>
    /// The keys of the most recently applied events: a redelivery soon after moves stock once without a ledger read, and
    /// a failure between the item's save and its ledger entries is caught on the retry (see <see cref="InventoryUpdater"/>).
    /// </summary>
    public List<string> AppliedEventKeys { get; set; } = [];
}
