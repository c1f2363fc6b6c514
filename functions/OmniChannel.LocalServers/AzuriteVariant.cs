namespace OmniChannel.LocalServers;

/// <summary>Which Azurite the local servers run (tools/azurite-server.js describes the changes).</summary>
public enum AzuriteVariant
{
    /// <summary>
    /// Answers the same, at a cost that does not grow with the data held: a table query whose filter pins one
    /// partition (<c>PartitionKey eq '…'</c>, alone or and-ed with more) reads that partition only, and a queue
    /// operation rebuilds no index when no message has expired.
    /// </summary>
    Patched,

    /// <summary>Azurite as published: every table query scans the whole table, every queue operation rebuilds the message indices.</summary>
    AsPublished,
}
