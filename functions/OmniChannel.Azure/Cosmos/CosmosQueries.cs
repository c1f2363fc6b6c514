using Microsoft.Azure.Cosmos;

namespace OmniChannel.Azure.Cosmos;

/// <summary>
/// Single-partition <c>SELECT TOP @limit …</c> queries run the way the local protocol server accepts them: the
/// partition key named in the options (and in the WHERE clause, by the caller) and direct execution, which TOP and
/// ORDER BY need there.
/// </summary>
internal static class CosmosQueries
{
    public static async Task<List<T>> TopAsync<T>(Container container, QueryDefinition query, string partitionKey, int limit, CancellationToken cancellationToken)
    {
        var options = new QueryRequestOptions { PartitionKey = new PartitionKey(partitionKey), MaxItemCount = limit, EnableOptimisticDirectExecution = true };
        var documents = new List<T>();
        using var iterator = container.GetItemQueryIterator<T>(query, requestOptions: options);
        while (iterator.HasMoreResults && documents.Count < limit)
        {
            documents.AddRange(await CosmosErrors.Guard(() => iterator.ReadNextAsync(cancellationToken), cancellationToken));
        }

        return documents;
    }
}
