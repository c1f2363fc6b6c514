namespace OmniChannel.Azure.Tables;

/// <summary>Azure Tables settings, bound from <c>OmniChannel:Tables</c>.</summary>
public sealed class TablesOptions
{
    public const string SectionName = "OmniChannel:Tables";

    /// <summary>The table service URI (managed identity), e.g. https://account.table.core.windows.net/.</summary>
    public string? ServiceUri { get; set; }

    /// <summary>A connection string, for Azurite in the local host only.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Create tables when missing (local host); in Azure, Bicep declares them.</summary>
    public bool CreateIfMissing { get; set; }
}
