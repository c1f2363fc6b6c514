using Microsoft.Azure.Cosmos;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;

namespace OmniChannel.Azure.Cosmos;

/// <summary>
/// Pickup orders (container <c>orders</c>, by id) and, after every save, the order's entry in its store's queue
/// (container <c>storeorders</c>, by store), so a store's queue is one query in one partition instead of a
/// cross-partition scan of every order.
/// </summary>
public sealed class CosmosOrderStore(CosmosDatabaseAccessor database) : IOrderStore
{
    public async Task<Stored<PickupOrder>?> GetAsync(string orderId, CancellationToken cancellationToken)
    {
        var id = CosmosIds.Encode(orderId);
        var read = await CosmosDocuments.ReadAsync<OrderDocument>(database.Container(CosmosContainers.Orders), id, new PartitionKey(id), cancellationToken);
        return read is { } found ? new Stored<PickupOrder>(found.Document.Order, found.ETag) : null;
    }

    public async Task SaveAsync(PickupOrder order, string? etag, CancellationToken cancellationToken)
    {
        var container = database.Container(CosmosContainers.Orders);
        var id = CosmosIds.Encode(order.Id);
        var document = new OrderDocument(id, order);
        await CosmosDocuments.WriteAsync(container, document, id, new PartitionKey(id), etag, cancellationToken);

        // Only after the order's write succeeded: an entry never announces an order that is not stored. Should this
        // write fail, the order is saved and the workflow's next save writes the entry.
        await WriteQueueEntryAsync(id, order, cancellationToken);
    }

    public async Task<IReadOnlyList<PickupOrder>> ListOpenAtStoreAsync(string storeId, int limit, CancellationToken cancellationToken)
    {
        var queue = database.Container(CosmosContainers.StoreOrders);
        var query = new QueryDefinition("SELECT TOP @limit * FROM c WHERE c.storeId = @storeId ORDER BY c.sortKey ASC")
            .WithParameter("@limit", limit)
            .WithParameter("@storeId", storeId);
        var entries = await CosmosQueries.TopAsync<StoreOrderDocument>(queue, query, storeId, limit, cancellationToken);
        var orders = (await PointReads.ReadManyAsync<OrderDocument>(database.Container(CosmosContainers.Orders), entries.Select(entry => entry.Id), cancellationToken))
            .ToDictionary(document => document.Id, document => document.Order, StringComparer.Ordinal);

        var open = new List<PickupOrder>(entries.Count);
        foreach (var entry in entries)
        {
            // The order document is the truth: an entry can outlive a move to another store (that save could not
            // know the old store) or a finish whose delete was lost. Such an entry is left out and tidied away.
            if (orders.TryGetValue(entry.Id, out var order) && order.StoreId == storeId && !order.Status.IsFinished())
            {
                open.Add(order);
            }
            else
            {
                await DeleteQueueEntryAsync(queue, entry.Id, storeId, entry.ETag, cancellationToken);
            }
        }

        return open;
    }

    /// <summary>An open order gets its store's entry (upsert: a retry writes it again); a finished one leaves the queue.</summary>
    private Task WriteQueueEntryAsync(string id, PickupOrder order, CancellationToken cancellationToken)
    {
        var queue = database.Container(CosmosContainers.StoreOrders);
        return order.Status.IsFinished()
            ? DeleteQueueEntryAsync(queue, id, order.StoreId, etag: null, cancellationToken)
            : CosmosErrors.Guard(
                () => queue.UpsertItemAsync(StoreOrderDocument.From(id, order), new PartitionKey(order.StoreId), new ItemRequestOptions { EnableContentResponseOnWrite = false }, cancellationToken),
                cancellationToken);
    }

    /// <summary>Deletes an entry; with <paramref name="etag"/>, only if nobody rewrote it since it was read.</summary>
    private static async Task DeleteQueueEntryAsync(Container queue, string id, string storeId, string? etag, CancellationToken cancellationToken)
    {
        try
        {
            // Not there (false): never written, or already gone.
            await CosmosDocuments.DeleteAsync(queue, id, new PartitionKey(storeId), etag, cancellationToken);
        }
        catch (StorageConflictException)
        {
            // Rewritten since it was read (the order came back to this store): that write knows better.
        }
    }
}
