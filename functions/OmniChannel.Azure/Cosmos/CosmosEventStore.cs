using System.Collections.Concurrent;
using Microsoft.Azure.Cosmos;
using OmniChannel.Core.Events;
using OmniChannel.Core.Ingest;
using OmniChannel.Core.Ports;

namespace OmniChannel.Azure.Cosmos;

/// <summary>The events container. Creates are idempotent: the id is the hashed source + event id, so a repeat answers 409 and changes nothing.</summary>
public sealed class CosmosEventStore(CosmosDatabaseAccessor database, IngestOptions options, CosmosOptions cosmos) : IEventStore
{
    public async Task<IReadOnlyList<OmniEvent>> AppendAsync(IReadOnlyList<OmniEvent> events, CancellationToken cancellationToken)
    {
        var container = database.Container(CosmosContainers.Events);
        var created = new ConcurrentBag<OmniEvent>();
        await Parallel.ForEachAsync(
            events,
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelWrites, CancellationToken = cancellationToken },
            async (omniEvent, token) =>
            {
                var partitionKey = omniEvent.PartitionKey.ToString();
                var document = new EventDocument(
                    omniEvent.Key,
                    partitionKey,
                    EventDocument.SortKeyFor(omniEvent.Time, omniEvent.Key),
                    omniEvent.Id,
                    omniEvent.Source,
                    omniEvent.Type,
                    omniEvent.Time,
                    omniEvent.Channel,
                    omniEvent.Identities.CustomerId,
                    omniEvent.Identities.DeviceId,
                    omniEvent.Identities.LoyaltyId,
                    omniEvent.Identities.EmailHash,
                    omniEvent.StoreId,
                    omniEvent.Data,
                    omniEvent.TraceParent);
                // Under the event's span: the SDK's own span of the write joins the trace of the request that sent it.
                using var eventSpan = EventSpans.Enter(omniEvent);

                // Not created: stored before, at-least-once delivery repeated it.
                if (await CosmosDocuments.TryCreateAsync(container, document, new PartitionKey(partitionKey), token))
                {
                    created.Add(omniEvent);
                }
            });
        return [.. created];
    }

    /// <summary>
    /// Newest first across <paramref name="partitionKeys"/>, at most <paramref name="limit"/>. Cosmos DB may answer a
    /// page short of what was asked (a page ends at 4 MB, and large events fill it sooner), so each partition is read
    /// on until it has given <paramref name="limit"/> events or its data ends. Each further page is a new keyset query
    /// (older than the oldest sort key read) rather than the SDK's continuation, which the local protocol server
    /// cannot follow.
    /// </summary>
    public async Task<IReadOnlyList<TimelineEntry>> ReadTimelineAsync(IReadOnlyCollection<string> partitionKeys, int limit, string? before, CancellationToken cancellationToken)
    {
        var container = database.Container(CosmosContainers.Events);
        var pageSize = Math.Clamp(cosmos.TimelinePageSize ?? limit, 1, Math.Max(limit, 1));
        var results = new ConcurrentBag<TimelineEntry>();

        // Every query names its partition key; the partitions are read side by side.
        await Parallel.ForEachAsync(partitionKeys, cancellationToken, async (partitionKey, token) =>
        {
            var gathered = 0;
            var olderThan = before;
            while (gathered < limit)
            {
                var asked = Math.Min(pageSize, limit - gathered);
                var (page, more) = await ReadPageAsync(container, partitionKey, olderThan, asked, token);
                foreach (var entry in page)
                {
                    results.Add(entry);
                }

                gathered += page.Count;

                // A full page, or a short one the query says is not the end (cut at 4 MB): read on from its oldest.
                if (page.Count == 0 || (page.Count < asked && !more))
                {
                    break;
                }

                olderThan = page.MinBy(entry => entry.SortKey, StringComparer.Ordinal)!.SortKey;
            }
        });

        return results.OrderByDescending(entry => entry.SortKey, StringComparer.Ordinal).Take(limit).ToList();
    }

    /// <summary>
    /// Deletes a partition's events a page at a time, newest first: each page is a keyset query (older than the
    /// oldest id read, <c>TOP n … c.sortKey &lt; @cursor</c>, as the local protocol server cannot follow the SDK's
    /// continuation), each event a point delete. Deleting what is already gone counts nothing, so a retry finishes.
    /// </summary>
    public async Task<int> DeletePartitionAsync(string partitionKey, CancellationToken cancellationToken)
    {
        const int PageSize = 100;
        var container = database.Container(CosmosContainers.Events);
        var deleted = 0;
        string? before = null;
        while (true)
        {
            var text = "SELECT TOP @count c.id, c.sortKey FROM c WHERE c.pk = @pk" + (before is null ? string.Empty : " AND c.sortKey < @before") + " ORDER BY c.sortKey DESC";
            var query = new QueryDefinition(text).WithParameter("@count", PageSize).WithParameter("@pk", partitionKey);
            if (before is not null)
            {
                query = query.WithParameter("@before", before);
            }

            var page = await CosmosQueries.TopAsync<EventKeys>(container, query, partitionKey, PageSize, cancellationToken);
            await Parallel.ForEachAsync(page, new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelWrites, CancellationToken = cancellationToken }, async (keys, token) =>
            {
                if (await PointDeletes.DeleteAsync(container, keys.Id, partitionKey, token))
                {
                    Interlocked.Increment(ref deleted);
                }
            });
            if (page.Count < PageSize)
            {
                return deleted;
            }

            before = page.MinBy(keys => keys.SortKey, StringComparer.Ordinal)!.SortKey;
        }
    }

    private sealed record EventKeys(string Id, string SortKey);

    /// <summary>One request: the newest <paramref name="count"/> events of a partition older than <paramref name="before"/>, and whether the query had more.</summary>
    private static async Task<(List<TimelineEntry> Page, bool More)> ReadPageAsync(Container container, string partitionKey, string? before, int count, CancellationToken cancellationToken)
    {
        var text = "SELECT TOP @count * FROM c WHERE c.pk = @pk" + (before is null ? string.Empty : " AND c.sortKey < @before") + " ORDER BY c.sortKey DESC";
        var query = new QueryDefinition(text).WithParameter("@count", count).WithParameter("@pk", partitionKey);
        if (before is not null)
        {
            query = query.WithParameter("@before", before);
        }

        var requestOptions = new QueryRequestOptions
        {
            PartitionKey = new PartitionKey(partitionKey),
            MaxItemCount = count,
            EnableOptimisticDirectExecution = true,
        };
        using var iterator = container.GetItemQueryIterator<EventDocument>(query, requestOptions: requestOptions);
        if (!iterator.HasMoreResults)
        {
            return ([], false);
        }

        var response = await CosmosErrors.Guard(() => iterator.ReadNextAsync(cancellationToken), cancellationToken);
        var page = new List<TimelineEntry>(response.Count);
        foreach (var document in response)
        {
            page.Add(document.ToTimelineEntry());
        }

        return (page, iterator.HasMoreResults);
    }
}
