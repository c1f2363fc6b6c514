namespace OmniChannel.Core.Ingest;

/// <summary>Ingest tuning, bound from the <c>OmniChannel:Ingest</c> configuration section.</summary>
public sealed class IngestOptions
{
    public const string SectionName = "OmniChannel:Ingest";

    /// <summary>
    /// Without a parking store: how often a batch is retried whole after a transient storage fault before the fault is
    /// passed on. With one, retries go on until <see cref="ParkAfter"/>.
    /// </summary>
    public int TransientRetries { get; set; } = 5;

    /// <summary>The first back-off; it doubles on each retry up to <see cref="MaxTransientBackoff"/>, unless the store asks for a longer wait.</summary>
    public TimeSpan TransientBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxTransientBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a batch is retried while storage is down before it is parked for a replay.</summary>
    public TimeSpan ParkAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often a profile or inventory write that lost an optimistic-concurrency race is re-read and retried.</summary>
    public int ConflictRetries { get; set; } = 8;

    /// <summary>Concurrent storage calls per batch.</summary>
    public int MaxParallelWrites { get; set; } = 16;
}
