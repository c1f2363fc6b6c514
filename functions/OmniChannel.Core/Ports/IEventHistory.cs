namespace OmniChannel.Core.Ports;

/// <summary>Recent events of given types across all customers, for looking back (a rule's simulation).</summary>
public interface IEventHistory
{
    /// <summary>Events of <paramref name="types"/> with a time in [<paramref name="from"/>, <paramref name="to"/>), newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<TimelineEntry>> ReadRecentAsync(IReadOnlyCollection<string> types, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken);
}
