namespace OmniChannel.Core.Ingest;

/// <summary>What one ingest batch did.</summary>
public sealed record IngestReport(int Received, int Stored, int Duplicates, int DeadLettered, int ProfilesWritten, int Merges, int InventoryItemsWritten);
