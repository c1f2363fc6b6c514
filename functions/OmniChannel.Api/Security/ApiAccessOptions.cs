namespace OmniChannel.Api.Security;

/// <summary>
/// Who may call the API (<c>OmniChannel:Access</c>). Both hosts check it in one place (<see cref="ApiAccessCheck"/>):
/// the Functions app from app settings that reference Key Vault, the local host from <c>OmniChannel:Local</c>.
/// One key per <see cref="KeyRoles">role</see>, each with a <c>…Next</c> key accepted beside it while it is rotated.
/// </summary>
public sealed class ApiAccessOptions
{
    public const string SectionName = "OmniChannel:Access";

    /// <summary>Channels' key: events, orders, arrivals, stores, stock and prices.</summary>
    public string? CollectKey { get; set; }

    public string? CollectKeyNext { get; set; }

    /// <summary>Stores' key: pickup queue and hand-over, coupons at the till, returns, cancellations.</summary>
    public string? StoreKey { get; set; }

    public string? StoreKeyNext { get; set; }

    /// <summary>The call centre's and the apps' account pages' key: people, timelines and orders, read only.</summary>
    public string? ServiceKey { get; set; }

    public string? ServiceKeyNext { get; set; }

    /// <summary>Operators' key: every route.</summary>
    public string? AdminKey { get; set; }

    public string? AdminKeyNext { get; set; }

    /// <summary>Deprecated: the single channel key of earlier versions, now accepted as a second collect key.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// With no key configured, every route is open. Only the local host on loopback sets this (as <c>func start</c>
    /// does not enforce keys); in Azure a missing key refuses every keyed route instead.
    /// </summary>
    public bool OpenWithoutKeys { get; set; }

    /// <summary>
    /// Accept the signed-in console user that App Service Authentication puts in <c>x-ms-client-principal</c> (the
    /// Static Web App's linked backend). Set only where the platform strips that header from callers and sets it
    /// itself; anywhere else it could be forged, so by default it is ignored.
    /// </summary>
    public bool TrustPlatformPrincipal { get; set; }

    /// <summary>Every configured key with its role (unset ones included, as null).</summary>
    public IEnumerable<(string Role, string? Key)> Keys() =>
    [
        (KeyRoles.Collect, CollectKey), (KeyRoles.Collect, CollectKeyNext), (KeyRoles.Collect, ApiKey),
        (KeyRoles.Store, StoreKey), (KeyRoles.Store, StoreKeyNext),
        (KeyRoles.Service, ServiceKey), (KeyRoles.Service, ServiceKeyNext),
        (KeyRoles.Admin, AdminKey), (KeyRoles.Admin, AdminKeyNext),
    ];
}
