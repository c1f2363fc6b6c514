namespace OmniChannel.Api;

/// <summary>The answer of <c>GET /api/stores/{storeId}/inventory/{sku}</c>.</summary>
public sealed record StockLevel(string StoreId, string Sku, int OnHand, int Reserved, int Available, DateTimeOffset? UpdatedAt);
