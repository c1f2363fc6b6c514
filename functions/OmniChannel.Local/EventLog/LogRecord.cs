namespace OmniChannel.Local.EventLog;

/// <summary>One event in the local log: the structured CloudEvent bytes, its partition key and trace context.</summary>
public sealed record LogRecord(byte[] Body, string PartitionKey, string? TraceParent)
{
    /// <summary>The position in its partition (set when read back).</summary>
    public long Sequence { get; init; }
}
