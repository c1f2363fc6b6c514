using OmniChannel.Core.Inventory;

namespace OmniChannel.Core.Ports;

public interface IInventoryStore
{
    Task<Stored<InventoryItem>?> ReadAsync(string storeId, string sku, CancellationToken cancellationToken);

    /// <summary>Creates the item when <paramref name="etag"/> is null, else replaces it if unchanged; throws <see cref="StorageConflictException"/> otherwise.</summary>
    Task SaveAsync(InventoryItem item, string? etag, CancellationToken cancellationToken);

    /// <summary>Which of the given movements (by <see cref="StockMovement.LedgerId"/>) the store's ledger holds.</summary>
    Task<IReadOnlySet<string>> RecordedMovementsAsync(string storeId, IReadOnlyCollection<string> ledgerIds, CancellationToken cancellationToken);

    /// <summary>Records applied movements in the store's ledger, for good; one recorded before is left as it is.</summary>
    Task RecordMovementsAsync(string storeId, IReadOnlyCollection<StockMovement> movements, CancellationToken cancellationToken);
}
