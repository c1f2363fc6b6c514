using System.Net;
using Microsoft.Azure.Cosmos;
using OmniChannel.Core.Ports;

namespace OmniChannel.Azure.Cosmos;

/// <summary>
/// Recent events across customers from the events container's change feed, started at the window's beginning: the
/// container is partitioned by customer, so a query by time would fan out over every partition. Reads at most
/// <see cref="MaxScanned"/> changes per call.
/// </summary>
public sealed class CosmosEventHistory(CosmosDatabaseAccessor database) : IEventHistory
{
    public const int MaxScanned = 50_000;

    public async Task<IReadOnlyList<TimelineEntry>> ReadRecentAsync(IReadOnlyCollection<string> types, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        var wanted = types.ToHashSet(StringComparer.Ordinal);
        var found = new List<TimelineEntry>();
        var scanned = 0;
        // The local protocol server answers a change-feed read with the container's first page-size documents and then
        // "not modified", whatever the start: ask it for everything in one page (no size hint) so no change is missed.
        using var iterator = database.Container(CosmosContainers.Events).GetChangeFeedIterator<EventDocument>(
            ChangeFeedStartFrom.Time(from.UtcDateTime), ChangeFeedMode.LatestVersion,
            new ChangeFeedRequestOptions { PageSizeHint = database.IsLocalProtocolServer ? null : 1000 });
        while (iterator.HasMoreResults && scanned < MaxScanned)
        {
            var page = await CosmosErrors.Guard(() => iterator.ReadNextAsync(cancellationToken), cancellationToken);
            if (page.StatusCode == HttpStatusCode.NotModified)
            {
                break; // caught up
            }

            foreach (var document in page)
            {
                scanned++;
                if (wanted.Contains(document.Type) && document.Time >= from && document.Time < to)
                {
                    found.Add(document.ToTimelineEntry());
                }
            }
        }

        return found.OrderByDescending(entry => entry.Time).ThenBy(entry => entry.SortKey, StringComparer.Ordinal).Take(limit).ToList();
    }
}
