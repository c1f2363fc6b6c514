namespace OmniChannel.Core.Ingest;

/// <summary>One event as it comes off the event hub: the structured-mode CloudEvent bytes and where they came from.</summary>
public sealed record IngestMessage(ReadOnlyMemory<byte> Body, string? TraceParent, string? PartitionId, long? SequenceNumber);
