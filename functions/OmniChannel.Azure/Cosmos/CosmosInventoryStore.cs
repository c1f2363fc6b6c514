using System.Collections.Concurrent;
using Microsoft.Azure.Cosmos;
using OmniChannel.Core.Inventory;
using OmniChannel.Core.Ports;

namespace OmniChannel.Azure.Cosmos;

public sealed class CosmosInventoryStore(CosmosDatabaseAccessor database) : IInventoryStore
{
    public async Task<Stored<InventoryItem>?> ReadAsync(string storeId, string sku, CancellationToken cancellationToken)
    {
        var container = database.Container(CosmosContainers.Inventory);
        var read = await CosmosDocuments.ReadAsync<InventoryDocument>(container, CosmosIds.Encode(sku), new PartitionKey(storeId), cancellationToken);
        return read is { } found ? new Stored<InventoryItem>(ToItem(found.Document), found.ETag) : null;
    }

    public async Task<IReadOnlyList<InventoryItem>> ListHeldAsync(string storeId, string? afterSku, int limit, CancellationToken cancellationToken)
    {
        // Ledger entries share the partition but have no reserved count, so the filter leaves them out.
        var query = new QueryDefinition("SELECT TOP @limit * FROM c WHERE c.storeId = @storeId AND c.reserved > 0 AND c.sku > @after ORDER BY c.sku ASC")
            .WithParameter("@limit", limit)
            .WithParameter("@storeId", storeId)
            .WithParameter("@after", afterSku ?? string.Empty);
        var documents = await CosmosQueries.TopAsync<InventoryDocument>(database.Container(CosmosContainers.Inventory), query, storeId, limit, cancellationToken);
        return documents.Select(ToItem).ToList();
    }

    private static InventoryItem ToItem(InventoryDocument document) => new()
    {
        StoreId = document.StoreId,
        Sku = document.Sku,
        OnHand = document.OnHand,
        Reserved = document.Reserved,
        UpdatedAt = document.UpdatedAt,
        AppliedEventKeys = document.AppliedEventKeys,
        Reservations = document.Reservations ?? [],
    };

    public Task SaveAsync(InventoryItem item, string? etag, CancellationToken cancellationToken)
    {
        var container = database.Container(CosmosContainers.Inventory);
        var id = CosmosIds.Encode(item.Sku);
        var document = new InventoryDocument(id, item.StoreId, item.Sku, item.OnHand, item.Reserved, item.UpdatedAt, item.AppliedEventKeys, item.Reservations.Count == 0 ? null : item.Reservations);
        return CosmosDocuments.WriteAsync(container, document, id, new PartitionKey(item.StoreId), etag, cancellationToken);
    }

    public async Task<IReadOnlySet<string>> RecordedMovementsAsync(string storeId, IReadOnlyCollection<string> ledgerIds, CancellationToken cancellationToken)
    {
        var container = database.Container(CosmosContainers.Inventory);
        var recorded = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(ledgerIds, cancellationToken, async (ledgerId, token) =>
        {
            // Not in the ledger (null): the movement was never applied (or its entry is still to be written, which the
            // item's recent keys answer for).
            if (await CosmosDocuments.ReadAsync<MovementDocument>(container, MovementDocument.IdFor(ledgerId), new PartitionKey(storeId), token) is not null)
            {
                recorded[ledgerId] = true;
            }
        });
        return recorded.Keys.ToHashSet(StringComparer.Ordinal);
    }

    public Task RecordMovementsAsync(string storeId, IReadOnlyCollection<StockMovement> movements, CancellationToken cancellationToken)
    {
        var container = database.Container(CosmosContainers.Inventory);
        return Parallel.ForEachAsync(movements, cancellationToken, async (movement, token) =>
        {
            var document = new MovementDocument(MovementDocument.IdFor(movement.LedgerId), storeId, movement.Sku, movement.EventKey, movement.Delta, movement.Time);

            // Not created: recorded before, by a retry or a replay.
            await CosmosDocuments.TryCreateAsync(container, document, new PartitionKey(storeId), token);
        });
    }
}
