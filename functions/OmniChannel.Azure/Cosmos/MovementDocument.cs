namespace OmniChannel.Azure.Cosmos;

/// <summary>
/// A stock movement's entry in its store's ledger (the inventory container, in the store's partition, beside the
/// items): created once when the movement is applied, never changed.
/// </summary>
internal sealed record MovementDocument(string Id, string StoreId, string Sku, string EventKey, int Delta, DateTimeOffset Time)
{
    public string Kind => "movement";

    /// <summary>The document id of a ledger entry; an item's id is its SKU, so the prefix keeps the two apart.</summary>
    public static string IdFor(string ledgerId) => "mv~" + CosmosIds.Encode(ledgerId);
}
