namespace OmniChannel.Core.Inventory;

/// <summary>A change of on-hand stock caused by one event.</summary>
public sealed record StockMovement(string StoreId, string Sku, int Delta, string EventKey, DateTimeOffset Time);
