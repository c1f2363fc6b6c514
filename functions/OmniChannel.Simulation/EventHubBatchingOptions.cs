namespace OmniChannel.Simulation;

/// <summary>
/// How <see cref="EventHubBatcher"/> hands events over, modelled on the Event Hubs trigger settings in
/// <c>host.json</c> (<c>maxEventBatchSize</c> 500, <c>minEventBatchSize</c> 50, <c>maxWaitTime</c> 2 s), with time
/// measured on the events' own clock.
/// </summary>
public sealed record EventHubBatchingOptions
{
    /// <summary>Partitions of the hub; a partition key always maps to the same one.</summary>
    public int PartitionCount { get; init; } = 32;

    /// <summary>A batch never holds more events than this.</summary>
    public int MaxBatchSize { get; init; } = 500;

    /// <summary>A partition's waiting events are handed over as soon as this many wait …</summary>
    public int MinBatchSize { get; init; } = 50;

    /// <summary>… or once the oldest of them has waited this long; null waits for <see cref="MinBatchSize"/> (the rest is flushed at the end).</summary>
    public TimeSpan? MaxWaitTime { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Full batches of <paramref name="batchSize"/>, as when the trigger catches up on a backlog (a benchmark's case).</summary>
    public static EventHubBatchingOptions Backlog(int batchSize = 500, int partitionCount = 32) => new()
    {
        PartitionCount = partitionCount,
        MaxBatchSize = batchSize,
        MinBatchSize = batchSize,
        MaxWaitTime = null,
    };
}
