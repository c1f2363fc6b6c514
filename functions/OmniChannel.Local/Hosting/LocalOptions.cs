namespace OmniChannel.Local.Hosting;

/// <summary>Settings of the local host, bound from <c>OmniChannel:Local</c> (command line: <c>--OmniChannel:Local:Urls=…</c>).</summary>
public sealed class LocalOptions
{
    public const string SectionName = "OmniChannel:Local";

    /// <summary>Where the API listens. Loopback only unless told otherwise.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:7071";

    /// <summary>Where Azurite keeps its data (tables, the local event log, checkpoints). Default: .local-data in the repository.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>The Cosmos DB protocol server's port; an already running server there is reused.</summary>
    public int CosmosPort { get; set; } = 8081;

    public int AzuriteBlobPort { get; set; } = 10000;

    public int AzuriteQueuePort { get; set; } = 10001;

    /// <summary>Azurite's table port; an Azurite already listening there is reused.</summary>
    public int AzuriteTablePort { get; set; } = 10002;

    /// <summary>
    /// The collect key (header <c>x-api-key</c> or <c>x-functions-key</c>): events, orders, stores, prices. No key by
    /// default: like <c>func start</c>, the local host does not enforce keys on loopback until one is set.
    /// </summary>
    public string? CollectKey { get; set; }

    /// <summary>The store key: pickup queue and hand-over, coupons at the till, returns, cancellations.</summary>
    public string? StoreKey { get; set; }

    /// <summary>The service key: a person's 360 and timeline, an order's status.</summary>
    public string? ServiceKey { get; set; }

    /// <summary>Deprecated: the single channel key of earlier versions, accepted as a collect key.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Requests per second each API key (or, without one, each client address) may make to /api; 0: no limit (<see cref="OmniChannel.Api.Security.ApiRateLimiter"/>).</summary>
    public int RateLimitPerSecond { get; set; } = 1000;

    /// <summary>How many requests above the rate a key may make in a burst.</summary>
    public int RateLimitBurst { get; set; } = 2000;

    /// <summary>The admin key: every route.</summary>
    public string? AdminKey { get; set; }

    /// <summary>
    /// Trust the signed-in user in <c>x-ms-client-principal</c>, as the Functions app does behind App Service
    /// Authentication. Only for a local host that nobody reaches except through something that signs people in and
    /// sets that header itself (the Static Web Apps CLI: <c>swa start --api-devserver-url http://127.0.0.1:7071</c>);
    /// anyone who can call the host directly could otherwise claim any role.
    /// </summary>
    public bool TrustPlatformPrincipal { get; set; }

    /// <summary>Seed the store directory (and the price subscribers for it) on start.</summary>
    public bool Seed { get; set; } = true;

    /// <summary>How many stores the seed has: a chain of a few hundred stores across six US time zones.</summary>
    public int SeedStores { get; set; } = 240;

    /// <summary>Whether any key is set, so the host enforces keys.</summary>
    public bool HasKeys => new[] { CollectKey, StoreKey, ServiceKey, AdminKey, ApiKey }.Any(key => !string.IsNullOrEmpty(key));
}
