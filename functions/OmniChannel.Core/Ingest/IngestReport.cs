namespace OmniChannel.Core.Ingest;

/// <summary>What one ingest batch did.</summary>
/// <param name="Parked">Events kept for a replay because storage stayed down (the whole batch, or none).</param>
/// <param name="Erased">Events dropped because a person they name was erased after them (see <see cref="ErasureFilter"/>).</param>
public sealed record IngestReport(int Received, int Stored, int Duplicates, int DeadLettered, int ProfilesWritten, int Merges, int InventoryItemsWritten, int Parked = 0, int Erased = 0);
