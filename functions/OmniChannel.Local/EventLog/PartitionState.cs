namespace OmniChannel.Local.EventLog;

/// <summary>One partition of the local log: how far it is written and how far ingested.</summary>
public sealed record PartitionState(string Partition, long Head, long Checkpoint)
{
    public long Lag => Head - Checkpoint;
}
