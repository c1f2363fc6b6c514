using System.Net;
using Microsoft.Azure.Cosmos;

namespace OmniChannel.Azure.Cosmos;

/// <summary>Point deletes that treat a document already gone as done (erasure is retried until it finishes).</summary>
internal static class PointDeletes
{
    /// <summary>Deletes one document; answers whether it was there.</summary>
    public static async Task<bool> DeleteAsync(Container container, string id, string partitionKey, CancellationToken cancellationToken)
    {
        try
        {
            await CosmosErrors.Guard(
                () => container.DeleteItemAsync<object>(id, new PartitionKey(partitionKey), new ItemRequestOptions { EnableContentResponseOnWrite = false }, cancellationToken),
                cancellationToken);
            return true;
        }
        catch (CosmosException exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

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
