namespace OmniChannel.Azure.Cosmos;

/// <summary>Cosmos DB settings, bound from the <c>OmniChannel:Cosmos</c> section (<c>OmniChannel__Cosmos__…</c> app settings).</summary>
public sealed class CosmosOptions
{
    public const string SectionName = "OmniChannel:Cosmos";

    /// <summary>The account endpoint, e.g. https://contoso.documents.azure.com:443/.</summary>
    public string? AccountEndpoint { get; set; }

    /// <summary>
    /// An account key, for the local protocol server only. In Azure leave it empty: the app signs in with its managed
    /// identity and local (key) auth is off on the account.
    /// </summary>
    public string? AccountKey { get; set; }

    public string DatabaseName { get; set; } = Core.OmniChannelNames.Database;

    /// <summary>Gateway mode, one endpoint only: what the local protocol server speaks.</summary>
    public bool GatewayMode { get; set; }

    /// <summary>
    /// The endpoint is the local Cosmos protocol server: accept its self-signed certificate and smooth over its known
    /// differences from the service. Never in Azure.
    /// </summary>
    public bool LocalProtocolServer { get; set; }

    /// <summary>
    /// Create the database and containers when missing. Only the local host does this: accounts with local auth off
    /// cannot create containers at run time, so in Azure every container is declared in Bicep.
    /// </summary>
    public bool CreateIfMissing { get; set; }

    /// <summary>
    /// At most how many events one timeline request asks Cosmos DB for (the query's <c>MaxItemCount</c>); null asks
    /// for the whole limit. Cosmos DB may answer fewer (a page ends at 4 MB), so the timeline reads on until it has
    /// the limit; a small value lets a test force short pages.
    /// </summary>
    public int? TimelinePageSize { get; set; }
}
