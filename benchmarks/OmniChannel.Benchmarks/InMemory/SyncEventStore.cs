using System.Globalization;
using OmniChannel.Core.Events;
using OmniChannel.Core.Identity;
using OmniChannel.Core.Ports;

namespace OmniChannel.Benchmarks.InMemory;

/// <summary>
/// The events container in memory: the keys for idempotency, and each partition's events for the timeline that
/// stitching reads when an anonymous device joins a person. Partitions are held by kind and value of their key (no key
/// text made per stored event) and each in timeline order, so a read takes the newest events without sorting the
/// partition, and formats the sort key (as the Cosmos adapter's documents carry one) only for the entries it answers.
/// </summary>
internal sealed class SyncEventStore : IEventStore
{
    /// <summary>The order of the container's sort key (fixed-width UTC time to the tick, then the event key), without formatting it.</summary>
    private static readonly Comparer<OmniEvent> TimelineOrder = Comparer<OmniEvent>.Create((left, right) =>
    {
        var byTime = left.Time.UtcTicks.CompareTo(right.Time.UtcTicks);
        return byTime != 0 ? byTime : string.CompareOrdinal(left.Key, right.Key);
    });

    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<OmniEvent>>[] _partitionsByKind =
        [.. Enum.GetValues<IdentityKind>().Select(_ => new Dictionary<string, List<OmniEvent>>(StringComparer.Ordinal))];

    public void Clear()
    {
        _keys.Clear();
        foreach (var partitions in _partitionsByKind)
        {
            partitions.Clear();
        }
    }

    public Task<IReadOnlyList<OmniEvent>> AppendAsync(IReadOnlyList<OmniEvent> events, CancellationToken cancellationToken)
    {
        var added = new List<OmniEvent>();
        lock (_keys)
        {
            foreach (var omniEvent in events)
            {
                if (_keys.Add(omniEvent.Key))
                {
                    var partition = omniEvent.PartitionKey;
                    var partitions = _partitionsByKind[(int)partition.Kind];
                    if (!partitions.TryGetValue(partition.Value, out var stored))
                    {
                        partitions[partition.Value] = stored = [];
                    }

                    // Keys are unique, so the search never finds the event and answers where it belongs (nearly always the end).
                    stored.Insert(~stored.BinarySearch(omniEvent, TimelineOrder), omniEvent);
                    added.Add(omniEvent);
                }
            }
        }

        return Task.FromResult<IReadOnlyList<OmniEvent>>(added);
    }

    public Task<IReadOnlyList<TimelineEntry>> ReadTimelineAsync(IReadOnlyCollection<string> partitionKeys, int limit, string? before, CancellationToken cancellationToken)
    {
        var newest = new List<(OmniEvent Event, string Partition)>();
        lock (_keys)
        {
            foreach (var partition in partitionKeys)
            {
                if (!IdentityKey.TryParse(partition, out var key) || !_partitionsByKind[(int)key.Kind].TryGetValue(key.Value, out var stored))
                {
                    continue;
                }

                var taken = 0;
                for (var index = stored.Count - 1; index >= 0 && taken < limit; index--)
                {
                    if (before is null || string.CompareOrdinal(SortKey(stored[index]), before) < 0)
                    {
                        newest.Add((stored[index], partition));
                        taken++;
                    }
                }
            }
        }

        if (partitionKeys.Count > 1)
        {
            newest.Sort((left, right) => TimelineOrder.Compare(right.Event, left.Event));
        }

        var count = Math.Min(limit, newest.Count);
        var page = new List<TimelineEntry>(count);
        for (var index = 0; index < count; index++)
        {
            var (omniEvent, partition) = newest[index];
            page.Add(new TimelineEntry(
                SortKey(omniEvent), omniEvent.Id, omniEvent.Source, omniEvent.Type, omniEvent.Time, omniEvent.Channel, partition, omniEvent.StoreId, omniEvent.Data, omniEvent.Identities));
        }

        return Task.FromResult<IReadOnlyList<TimelineEntry>>(page);
    }

    private static string SortKey(OmniEvent omniEvent) =>
        omniEvent.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) + "|" + omniEvent.Key;

    public Task<int> DeletePartitionAsync(string partitionKey, CancellationToken cancellationToken)
    {
        var partition = IdentityKey.Parse(partitionKey);
        lock (_keys)
        {
            if (!_partitionsByKind[(int)partition.Kind].Remove(partition.Value, out var stored))
            {
                return Task.FromResult(0);
            }

            foreach (var omniEvent in stored)
            {
                _keys.Remove(omniEvent.Key);
            }

            return Task.FromResult(stored.Count);
        }
    }
}
