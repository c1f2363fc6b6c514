using System.Collections.Concurrent;
using Microsoft.Azure.Cosmos;

namespace OmniChannel.Azure.Cosmos;

/// <summary>
/// Reads many documents whose partition key is their id, as concurrent point reads (1 RU each). ReadMany would
/// turn into a query, and the local protocol server fails queries over several items.
/// </summary>
internal static class PointReads
{
    public static async Task<IReadOnlyList<T>> ReadManyAsync<T>(Container container, IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var found = new ConcurrentBag<T>();
        await Parallel.ForEachAsync(ids.Distinct(StringComparer.Ordinal), cancellationToken, async (id, token) =>
        {
            // Absent (null) is common: an identity without a link, a profile not created yet.
            if (await CosmosDocuments.ReadAsync<T>(container, id, new PartitionKey(id), token) is { } read)
            {
                found.Add(read.Document);
            }
        });
        return found.ToList();
    }
}
