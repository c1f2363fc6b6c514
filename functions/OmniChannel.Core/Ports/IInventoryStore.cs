using OmniChannel.Core.Inventory;

namespace OmniChannel.Core.Ports;

public interface IInventoryStore
{
    Task<Stored<InventoryItem>?> ReadAsync(string storeId, string sku, CancellationToken cancellationToken);

    /// <summary>Creates the item when <paramref name="etag"/> is null, else replaces it if unchanged; throws <see cref="StorageConflictException"/> otherwise.</summary>
    Task SaveAsync(InventoryItem item, string? etag, CancellationToken cancellationToken);

    /// <summary>
    /// A page of the store's items that hold units for pickup orders (<see cref="InventoryItem.Reserved"/> above zero),
    /// by SKU after <paramref name="afterSku"/> (null: from the first), at most <paramref name="limit"/>: keyset pages,
    /// one query each in the store's partition.
    /// </summary>
    Task<IReadOnlyList<InventoryItem>> ListHeldAsync(string storeId, string? afterSku, int limit, CancellationToken cancellationToken);

    /// <summary>Which of the given movements (by <see cref="StockMovement.LedgerId"/>) the store's ledger holds.</summary>
    Task<IReadOnlySet<string>> RecordedMovementsAsync(string storeId, IReadOnlyCollection<string> ledgerIds, CancellationToken cancellationToken);

    /// <summary>Records applied movements in the store's ledger, for good; one recorded before is left as it is.</summary>
    Task RecordMovementsAsync(string storeId, IReadOnlyCollection<StockMovement> movements, CancellationToken cancellationToken);
}
