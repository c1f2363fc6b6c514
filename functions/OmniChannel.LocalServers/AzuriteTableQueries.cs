namespace OmniChannel.LocalServers;

/// <summary>How the local Azurite answers table queries.</summary>
public enum AzuriteTableQueries
{
    /// <summary>
    /// A query whose filter pins one partition (<c>PartitionKey eq '…'</c>, alone or and-ed with more) reads that
    /// partition's entities only: the same results, at a cost that does not grow with the rest of the table.
    /// </summary>
    PartitionIndexed,

    /// <summary>Azurite unchanged: every query scans every entity of the table.</summary>
    FullScan,
}
