namespace OmniChannel.Local.EventLog;

/// <summary>The local stand-in for the event hub, bound from <c>OmniChannel:Local:EventLog</c>.</summary>
public sealed class EventLogOptions
{
    public const string SectionName = "OmniChannel:Local:EventLog";

    /// <summary>Partitions, as an event hub has; one customer's events always land in one.</summary>
    public int Partitions { get; set; } = 8;

    /// <summary>At most this many events per ingest batch (the Event Hubs trigger's maxEventBatchSize).</summary>
    public int MaxBatchSize { get; set; } = 500;

    /// <summary>
    /// How many accepted-but-not-ingested events one partition may hold. Beyond it the collect API answers 503 with
    /// Retry-After instead of buffering without bound.
    /// </summary>
    public int MaxLagPerPartition { get; set; } = 20_000;

    /// <summary>How long an idle partition waits before it looks for new events (an append wakes it at once).</summary>
    public TimeSpan IdlePoll { get; set; } = TimeSpan.FromSeconds(1);
}
