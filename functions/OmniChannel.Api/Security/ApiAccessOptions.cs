namespace OmniChannel.Api.Security;

/// <summary>
/// Who may call the API (<c>OmniChannel:Access</c>). Both hosts check it in one place (<see cref="ApiAccessCheck"/>):
/// the Functions app from app settings that reference Key Vault, the local host from <c>OmniChannel:Local</c>.
/// </summary>
public sealed class ApiAccessOptions
{
    public const string SectionName = "OmniChannel:Access";

    /// <summary>The key channels send (header <c>x-api-key</c> or <c>x-functions-key</c>, or <c>?code=</c>).</summary>
    public string? ApiKey { get; set; }

    /// <summary>The key admin routes need; it also opens the channel routes.</summary>
    public string? AdminKey { get; set; }

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
}
