using System.Globalization;
using OmniChannel.Core.Events;
using OmniChannel.Core.Ports;

namespace OmniChannel.Core.UnitTests.Fakes;

/// <summary>The events container in memory: one document per event key; can fail with a transient fault on demand.</summary>
public sealed class InMemoryEventStore : IEventStore
{
    private readonly Dictionary<string, OmniEvent> _events = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>How many of the next append calls throw <see cref="TransientStorageException"/> before storing anything.</summary>
    public int TransientFaults { get; set; }

    public int AppendCalls { get; private set; }

    /// <summary>Documents created: a repeated event costs none.</summary>
    public int DocumentsWritten { get; private set; }

    public IReadOnlyCollection<OmniEvent> Events
    {
        get
        {
            lock (_lock)
            {
                return _events.Values.ToList();
            }
        }
    }

    public Task<IReadOnlyList<OmniEvent>> AppendAsync(IReadOnlyList<OmniEvent> events, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            AppendCalls++;
            if (TransientFaults > 0)
            {
                TransientFaults--;
                throw new TransientStorageException("Request rate is large (429).", null, new InvalidOperationException("throttled"));
            }

            var added = events.Where(omniEvent => _events.TryAdd(omniEvent.Key, omniEvent)).ToList();
            DocumentsWritten += added.Count;
            return Task.FromResult<IReadOnlyList<OmniEvent>>(added);
        }
    }

    public int TimelineReads { get; private set; }

    public Task<int> DeletePartitionAsync(string partitionKey, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var keys = _events.Where(pair => pair.Value.PartitionKey.ToString() == partitionKey).Select(pair => pair.Key).ToList();
            keys.ForEach(key => _events.Remove(key));
            return Task.FromResult(keys.Count);
        }
    }

    /// <summary>Newest first across the partitions, as the Cosmos adapter answers: sort key = fixed-width UTC time, '|', event key.</summary>
    public Task<IReadOnlyList<TimelineEntry>> ReadTimelineAsync(IReadOnlyCollection<string> partitionKeys, int limit, string? before, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            TimelineReads++;
            IReadOnlyList<TimelineEntry> page = _events.Values
                .Where(omniEvent => partitionKeys.Contains(omniEvent.PartitionKey.ToString()))
                .Select(omniEvent => new TimelineEntry(
                    omniEvent.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) + "|" + omniEvent.Key,
                    omniEvent.Id, omniEvent.Source, omniEvent.Type, omniEvent.Time, omniEvent.Channel, omniEvent.PartitionKey.ToString(),
                    omniEvent.StoreId, omniEvent.Data, omniEvent.Identities))
                .Where(entry => before is null || string.CompareOrdinal(entry.SortKey, before) < 0)
                .OrderByDescending(entry => entry.SortKey, StringComparer.Ordinal)
                .Take(limit)
                .ToList();
            return Task.FromResult(page);
        }
    }
}
