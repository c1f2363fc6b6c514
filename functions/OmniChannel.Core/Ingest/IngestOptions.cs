namespace OmniChannel.Core.Ingest;

/// <summary>Ingest tuning, bound from the <c>OmniChannel:Ingest</c> configuration section.</summary>
public sealed class IngestOptions
{
    public const string SectionName = "OmniChannel:Ingest";

    /// <summary>How often a batch is retried whole after a transient storage fault before the fault is passed on.</summary>
    public int TransientRetries { get; set; } = 5;

    /// <summary>The first back-off; it doubles on each retry unless the store asks for a longer wait.</summary>
    public TimeSpan TransientBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How often a profile or inventory write that lost an optimistic-concurrency race is re-read and retried.</summary>
    public int ConflictRetries { get; set; } = 8;

    /// <summary>Concurrent storage calls per batch.</summary>
    public int MaxParallelWrites { get; set; } = 16;
}
