using System.Globalization;
using OmniChannel.Core.Events;
using OmniChannel.Core.Ports;

namespace OmniChannel.Benchmarks.InMemory;

/// <summary>
/// The events container in memory: the keys for idempotency, and each partition's events for the timeline that
/// stitching reads when an anonymous device joins a person.
/// </summary>
internal sealed class SyncEventStore : IEventStore
{
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<OmniEvent>> _partitions = new(StringComparer.Ordinal);

    public void Clear()
    {
        _keys.Clear();
        _partitions.Clear();
    }

    public Task<int> AppendAsync(IReadOnlyList<OmniEvent> events, CancellationToken cancellationToken)
    {
        var added = 0;
        lock (_keys)
        {
            foreach (var omniEvent in events)
            {
                if (_keys.Add(omniEvent.Key))
                {
                    var partition = omniEvent.PartitionKey.ToString();
                    if (!_partitions.TryGetValue(partition, out var stored))
                    {
                        _partitions[partition] = stored = [];
                    }

                    stored.Add(omniEvent);
                    added++;
                }
            }
        }

        return Task.FromResult(added);
    }

    public Task<IReadOnlyList<TimelineEntry>> ReadTimelineAsync(IReadOnlyCollection<string> partitionKeys, int limit, string? before, CancellationToken cancellationToken)
    {
        var page = new List<TimelineEntry>();
        lock (_keys)
        {
            foreach (var partition in partitionKeys)
            {
                if (_partitions.TryGetValue(partition, out var stored))
                {
                    page.AddRange(stored.Select(omniEvent => new TimelineEntry(
                        omniEvent.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) + "|" + omniEvent.Key,
                        omniEvent.Id, omniEvent.Source, omniEvent.Type, omniEvent.Time, omniEvent.Channel, partition, omniEvent.StoreId, omniEvent.Data, omniEvent.Identities)));
                }
            }
        }

        IReadOnlyList<TimelineEntry> newestFirst = page
            .Where(entry => before is null || string.CompareOrdinal(entry.SortKey, before) < 0)
            .OrderByDescending(entry => entry.SortKey, StringComparer.Ordinal)
            .Take(limit)
            .ToList();
        return Task.FromResult(newestFirst);
    }
}
