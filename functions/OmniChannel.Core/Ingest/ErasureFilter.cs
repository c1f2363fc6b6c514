using OmniChannel.Core.Customers;
using OmniChannel.Core.Events;
using OmniChannel.Core.Ports;

namespace OmniChannel.Core.Ingest;

/// <summary>
/// Drops the events of erased people that reach ingest after the erasure (still in flight, redelivered, replayed from
/// the local event log or a parked batch): an event is dropped when one of its identities has a tombstone and the
/// event's time is at or before the erasure's. Later events go through and start a new, empty person.
/// <para>
/// One read per batch, not per event: the tombstones are kept in memory and each batch asks the log only for those
/// written since the last ask (a keyset query that is empty almost always). With no tombstone at all, nothing is hashed.
/// </para>
/// </summary>
public sealed class ErasureFilter(IErasureLog log)
{
    private readonly Dictionary<string, DateTimeOffset> _erased = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private string? _cursor;

    /// <summary>The events to apply, and how many were dropped as erased.</summary>
    public async Task<(IReadOnlyList<OmniEvent> Kept, int Dropped)> FilterAsync(IReadOnlyList<OmniEvent> events, CancellationToken cancellationToken)
    {
        string? since;
        lock (_lock)
        {
            since = _cursor;
        }

        var (tombstones, cursor) = await log.ReadWrittenSinceAsync(since, cancellationToken);
        lock (_lock)
        {
            foreach (var tombstone in tombstones)
            {
                if (!_erased.TryGetValue(tombstone.KeyHash, out var known) || known < tombstone.ErasedAt)
                {
                    _erased[tombstone.KeyHash] = tombstone.ErasedAt;
                }
            }

            if (cursor is not null && (_cursor is null || string.CompareOrdinal(cursor, _cursor) > 0))
            {
                _cursor = cursor;
            }

            if (_erased.Count == 0)
            {
                return (events, 0);
            }

            List<OmniEvent>? kept = null;
            for (var index = 0; index < events.Count; index++)
            {
                if (IsErased(events[index]))
                {
                    kept ??= [.. events.Take(index)];
                }
                else
                {
                    kept?.Add(events[index]);
                }
            }

            return kept is null ? (events, 0) : (kept, events.Count - kept.Count);
        }
    }

    private bool IsErased(OmniEvent omniEvent)
    {
        foreach (var key in omniEvent.Identities.Keys())
        {
            if (_erased.TryGetValue(CustomerErasure.HashOf(key.ToString()), out var erasedAt) && omniEvent.Time <= erasedAt)
            {
                return true;
            }
        }

        return false;
    }
}
