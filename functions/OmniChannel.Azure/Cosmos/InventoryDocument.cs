using System.Text.Json.Serialization;

namespace OmniChannel.Azure.Cosmos;

/// <summary>Stock of one SKU at one store, as stored; id = the Cosmos-safe SKU.</summary>
internal sealed record InventoryDocument(
    string Id,
    string StoreId,
    string Sku,
    int OnHand,
    int Reserved,
    DateTimeOffset? UpdatedAt,
    List<string> AppliedEventKeys,
    Dictionary<string, int>? Reservations)
{
    [JsonPropertyName("_etag")]
    public string? ETag { get; init; }
}
