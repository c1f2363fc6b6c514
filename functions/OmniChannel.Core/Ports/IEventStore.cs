using OmniChannel.Core.Events;

namespace OmniChannel.Core.Ports;

/// <summary>The events container: every accepted event once, readable as a customer's timeline.</summary>
public interface IEventStore
{
    /// <summary>Stores the events; one stored before (same source and id) is left as it is. Answers those that were new.</summary>
    Task<IReadOnlyList<OmniEvent>> AppendAsync(IReadOnlyList<OmniEvent> events, CancellationToken cancellationToken);

    /// <summary>Newest first across the given partitions (a profile's identities), strictly before <paramref name="before"/>.</summary>
    Task<IReadOnlyList<TimelineEntry>> ReadTimelineAsync(IReadOnlyCollection<string> partitionKeys, int limit, string? before, CancellationToken cancellationToken);

    /// <summary>Deletes every event of one partition (an identity's events, for erasure); answers how many it deleted. Idempotent.</summary>
    Task<int> DeletePartitionAsync(string partitionKey, CancellationToken cancellationToken);
}
