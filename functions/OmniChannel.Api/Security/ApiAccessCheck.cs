using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace OmniChannel.Api.Security;

/// <summary>The outcome of <see cref="ApiAccessCheck.Check"/>: a refusal to send back, or who the caller is.</summary>
public sealed record ApiAccessDecision(IResult? Refusal, string Caller)
{
    public bool Allowed => Refusal is null;
}

/// <summary>
/// The one access check of both hosts, in front of every <c>/api</c> route. A caller is let in by a key of a role the
/// route names (<see cref="RouteAccess.Of"/>; the admin key opens every route), by a console user the platform signed
/// in (when trusted, on the routes the user's role covers) or, on a local host without keys, by nothing. Keys travel in
/// headers only; keys are compared in constant time.
/// </summary>
public sealed class ApiAccessCheck(IOptions<ApiAccessOptions> options)
{
    private static readonly string[] KeyHeaders = ["x-api-key", "x-functions-key"];

    /// <summary>Query parameters that carry a key elsewhere (<c>code</c> is the Functions host's own).</summary>
    private static readonly string[] KeyParameters = ["code", "key", "api-key", "apikey", "api_key", "x-api-key", "x-functions-key"];

    private const string WhereKeysGo = "in the x-api-key header (or x-functions-key)";

    // An app setting whose Key Vault reference did not resolve keeps the reference text: never a key anyone may send.
    private const string UnresolvedKeyVaultReference = "@Microsoft.KeyVault(";

    public ApiAccessDecision Check(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Path.StartsWithSegments("/" + ApiRoutes.Prefix, out var rest))
        {
            return new ApiAccessDecision(null, "static");
        }

        // Refused before anything else, valid key or not: a URL ends up in logs, proxies and browser history.
        if (KeyParameters.FirstOrDefault(request.Query.ContainsKey) is { } parameter)
        {
            return Refuse(Problems.KeyInUrl(parameter, WhereKeysGo));
        }

        var route = RouteAccess.Of(request.Method, rest.Value ?? string.Empty);
        if (route.Level == AccessLevel.Open)
        {
            return new ApiAccessDecision(null, "anyone");
        }

        if (route.Level == AccessLevel.Signed)
        {
            // Its handler refuses (401) what the signature does not cover.
            return new ApiAccessDecision(null, "signed");
        }

        if (IsOpenWithoutKeys)
        {
            return new ApiAccessDecision(null, "anyone");
        }

        var presented = PresentedKey(request);
        if (presented.Length > 0)
        {
            return RoleOfKey(presented) switch
            {
                null => Refuse(Problems.Unauthorized($"The key sent is not valid for this API: check the key {WhereKeysGo}.")),
                var role when route.OpensFor(role) => new ApiAccessDecision(null, role),
                var role => Refuse(Problems.Forbidden($"The {role} key does not open this route: it needs the {Needed(route)} key, {WhereKeysGo}.")),
            };
        }

        var (principal, unreadable) = TrustedPrincipal(request);
        if (unreadable is not null)
        {
            return unreadable;
        }

        return principal is not null
            ? ForConsoleUser(principal, route)
            : Refuse(Problems.Unauthorized($"This route needs the {Needed(route)} key: send it {WhereKeysGo}."));
    }

    /// <summary>
    /// Whether the caller may see what health knows about the dependencies: any valid key (whatever its role), a
    /// signed-in console user, or anyone on a local host without keys. The answer holds statuses and counts only.
    /// </summary>
    public bool MayReadHealthDetails(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (IsOpenWithoutKeys)
        {
            return true;
        }

        var presented = PresentedKey(request);
        if (presented.Length > 0)
        {
            return RoleOfKey(presented) is not null;
        }

        return TrustedPrincipal(request).Principal is not null;
    }

    /// <summary>The name of the console user the platform signed in, when it is trusted to and the header reads; else null.</summary>
    public string? SignedInUser(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return TrustedPrincipal(request).Principal?.Name;
    }

    /// <summary>The role of a configured key equal to <paramref name="presented"/>; null when none is.</summary>
    public string? RoleOfKey(string presented)
    {
        ArgumentNullException.ThrowIfNull(presented);
        string? role = null;
        // Every key is compared, so the time taken does not tell which role's key came close.
        foreach (var (keyRole, key) in options.Value.Keys())
        {
            if (Matches(presented, Usable(key)))
            {
                role ??= keyRole;
            }
        }

        return role;
    }

    /// <summary>The key the caller sent in header <c>x-api-key</c> or <c>x-functions-key</c>; empty when none.</summary>
    public static string PresentedKey(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return KeyHeaders.Select(header => request.Headers[header].ToString()).FirstOrDefault(value => value.Length > 0) ?? string.Empty;
    }

    private bool IsOpenWithoutKeys => options.Value.OpenWithoutKeys && options.Value.Keys().All(entry => string.IsNullOrEmpty(entry.Key));

    /// <summary>The console user in the request when the platform is trusted to set it; a refusal when it cannot be read.</summary>
    private (PlatformPrincipal? Principal, ApiAccessDecision? Unreadable) TrustedPrincipal(HttpRequest request)
    {
        if (!options.Value.TrustPlatformPrincipal)
        {
            return (null, null);
        }

        try
        {
            return (PlatformPrincipal.Read(request), null);
        }
        catch (FormatException)
        {
            return (null, Refuse(Problems.Unauthorized("The signed-in user could not be read (x-ms-client-principal is not base64 JSON): sign in again.")));
        }
    }

    private static string Needed(RouteAccess route) => string.Join(" or ", route.KeyRoles);

    private static ApiAccessDecision ForConsoleUser(PlatformPrincipal principal, RouteAccess route)
    {
        if (route.ConsoleRoles.Count == 0)
        {
            return Refuse(Problems.Forbidden($"The console's signed-in users do not use this route; it needs the {Needed(route)} key."));
        }

        // Static Web Apps checks the route's roles (staticwebapp.config.json) before it forwards a call; when the
        // forwarded principal names roles as well, they must cover the route here too.
        if (principal.CarriesRoles && !principal.ConsoleRoles.Intersect(route.ConsoleRoles).Any())
        {
            return Refuse(Problems.Forbidden($"Your console role does not cover this page: it needs {string.Join(" or ", route.ConsoleRoles)}. Ask an administrator to assign the role in Microsoft Entra ID."));
        }

        return new ApiAccessDecision(null, "user:" + principal.Name);
    }

    private static ApiAccessDecision Refuse(IResult problem) => new(problem, "refused");

    private static string? Usable(string? key) =>
        string.IsNullOrEmpty(key) || key.StartsWith(UnresolvedKeyVaultReference, StringComparison.OrdinalIgnoreCase) ? null : key;

    private static bool Matches(string presented, string? key) =>
        key is not null
        // Hash both first: equal lengths, so not even the key's length leaks through the time taken.
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
