using System.Collections.Concurrent;
using Microsoft.Azure.Cosmos;
using OmniChannel.Core.Events;
using OmniChannel.Core.Ingest;
using OmniChannel.Core.Ports;

namespace OmniChannel.Azure.Cosmos;

/// <summary>The events container. Creates are idempotent: the id is the hashed source + event id, so a repeat answers 409 and changes nothing.</summary>
public sealed class CosmosEventStore(CosmosDatabaseAccessor database, IngestOptions options, TimeProvider clock) : IEventStore
{
    private static readonly ItemRequestOptions CreateOptions = new() { EnableContentResponseOnWrite = false };

    public async Task<IReadOnlyList<OmniEvent>> AppendAsync(IReadOnlyList<OmniEvent> events, CancellationToken cancellationToken)
    {
        var container = database.Container(CosmosContainers.Events);
        var now = clock.GetUtcNow();
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
                    omniEvent.TraceParent,
                    now);
                try
                {
                    await CosmosErrors.Guard(() => container.CreateItemAsync(document, new PartitionKey(partitionKey), CreateOptions, token), token);
                    created.Add(omniEvent);
                }
                catch (StorageConflictException)
                {
                    // Stored before: at-least-once delivery repeated it.
                }
            });
        return [.. created];
    }

    public async Task<IReadOnlyList<TimelineEntry>> ReadTimelineAsync(IReadOnlyCollection<string> partitionKeys, int limit, string? before, CancellationToken cancellationToken)
    {
        var container = database.Container(CosmosContainers.Events);
        var results = new ConcurrentBag<TimelineEntry>();

        // Keyset paging, one request per partition and page: every query names its partition key.
        await Parallel.ForEachAsync(partitionKeys, cancellationToken, async (partitionKey, token) =>
        {
            var text = "SELECT TOP @limit * FROM c WHERE c.pk = @pk" + (before is null ? string.Empty : " AND c.sortKey < @before") + " ORDER BY c.sortKey DESC";
            var query = new QueryDefinition(text).WithParameter("@limit", limit).WithParameter("@pk", partitionKey);
            if (before is not null)
            {
                query = query.WithParameter("@before", before);
            }

            var requestOptions = new QueryRequestOptions
            {
                PartitionKey = new PartitionKey(partitionKey),
                MaxItemCount = limit,
                EnableOptimisticDirectExecution = true,
            };
            using var iterator = container.GetItemQueryIterator<EventDocument>(query, requestOptions: requestOptions);
            while (iterator.HasMoreResults)
            {
                var page = await CosmosErrors.Guard(() => iterator.ReadNextAsync(token), token);
                foreach (var document in page)
                {
                    results.Add(document.ToTimelineEntry());
                }

                break;
            }
        });

        return results.OrderByDescending(entry => entry.SortKey, StringComparer.Ordinal).Take(limit).ToList();
    }
}
