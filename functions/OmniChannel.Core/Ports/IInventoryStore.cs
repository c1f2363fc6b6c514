using OmniChannel.Core.Inventory;

namespace OmniChannel.Core.Ports;

public interface IInventoryStore
{
    Task<Stored<InventoryItem>?> ReadAsync(string storeId, string sku, CancellationToken cancellationToken);

    /// <summary>Creates the item when <paramref name="etag"/> is null, else replaces it if unchanged; throws <see cref="StorageConflictException"/> otherwise.</summary>
    Task SaveAsync(InventoryItem item, string? etag, CancellationToken cancellationToken);
}
