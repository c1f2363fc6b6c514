namespace OmniChannel.Core.Inventory;

/// <summary>A change of on-hand stock caused by one event.</summary>
public sealed record StockMovement(string StoreId, string Sku, int Delta, string EventKey, DateTimeOffset Time)
{
    /// <summary>The movement's entry in its store's ledger: one per event and SKU.</summary>
    public string LedgerId => EventKey + ":" + Sku;
}
