namespace OmniChannel.Azure.Storage;

/// <summary>Where ingest parks batches (Azure Blob Storage), bound from <c>OmniChannel:Parking</c>.</summary>
public sealed class ParkingOptions
{
    public const string SectionName = "OmniChannel:Parking";

    /// <summary>The blob service URI (managed identity), e.g. https://account.blob.core.windows.net/.</summary>
    public string? ServiceUri { get; set; }

    /// <summary>A connection string, for Azurite in the local host only (defaults to the Tables one there).</summary>
    public string? ConnectionString { get; set; }
}
