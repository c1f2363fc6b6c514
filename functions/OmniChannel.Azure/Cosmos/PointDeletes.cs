using Microsoft.Azure.Cosmos;

namespace OmniChannel.Azure.Cosmos;

/// <summary>Point deletes that treat a document already gone as done (erasure is retried until it finishes).</summary>
internal static class PointDeletes
{
    /// <summary>Deletes one document; answers whether it was there.</summary>
    public static Task<bool> DeleteAsync(Container container, string id, string partitionKey, CancellationToken cancellationToken) =>
        CosmosDocuments.DeleteAsync(container, id, new PartitionKey(partitionKey), etag: null, cancellationToken);

    /// <summary>Deletes documents whose partition key is their id, side by side; answers how many were there.</summary>
    public static async Task<int> DeleteManyAsync(Container container, IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var deleted = 0;
        await Parallel.ForEachAsync(ids.Distinct(StringComparer.Ordinal), cancellationToken, async (id, token) =>
        {
            if (await DeleteAsync(container, id, id, token))
            {
                Interlocked.Increment(ref deleted);
            }
        });
        return deleted;
    }
}
