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
/// The one access check of both hosts, in front of every <c>/api</c> route. A caller is let in by the admin key, by a
/// channel key on a channel route, by a console user the platform signed in (when trusted, on the routes the user's
/// role covers) or, on a local host without keys, by nothing. Keys are compared in constant time.
/// </summary>
public sealed class ApiAccessCheck(IOptions<ApiAccessOptions> options)
{
    private static readonly string[] KeyHeaders = ["x-api-key", "x-functions-key"];

    private const string WhereKeysGo = "in the x-api-key header (or x-functions-key, or ?code=)";

    // An app setting whose Key Vault reference did not resolve keeps the reference text: never a key anyone may send.
    private const string UnresolvedKeyVaultReference = "@Microsoft.KeyVault(";

    public ApiAccessDecision Check(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Path.StartsWithSegments("/" + ApiRoutes.Prefix, out var rest))
        {
            return new ApiAccessDecision(null, "static");
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

        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.AdminKey) && string.IsNullOrEmpty(settings.ApiKey) && settings.OpenWithoutKeys)
        {
            return new ApiAccessDecision(null, "anyone");
        }

        var adminKey = Usable(settings.AdminKey);
        var apiKey = Usable(settings.ApiKey);
        var presented = PresentedKey(request);
        if (presented.Length > 0)
        {
            if (Matches(presented, adminKey))
            {
                return new ApiAccessDecision(null, "admin");
            }

            if (Matches(presented, apiKey))
            {
                return route.Level == AccessLevel.Admin
                    ? Refuse(Problems.Forbidden($"This is an admin route and a channel key does not open it: send the admin key {WhereKeysGo}."))
                    : new ApiAccessDecision(null, "channel");
            }

            return Refuse(Problems.Unauthorized($"The key sent is not valid for this API: check the key {WhereKeysGo}."));
        }

        if (settings.TrustPlatformPrincipal)
        {
            PlatformPrincipal? principal;
            try
            {
                principal = PlatformPrincipal.Read(request);
            }
            catch (FormatException)
            {
                return Refuse(Problems.Unauthorized("The signed-in user could not be read (x-ms-client-principal is not base64 JSON): sign in again."));
            }

            if (principal is not null)
            {
                return ForConsoleUser(principal, route);
            }
        }

        return Refuse(Problems.Unauthorized(route.Level == AccessLevel.Admin
            ? $"This is an admin route: send the admin key {WhereKeysGo}."
            : $"This route needs an API key: send it {WhereKeysGo}."));
    }

    /// <summary>The key the caller sent (header <c>x-api-key</c> or <c>x-functions-key</c>, else <c>?code=</c>); empty when none.</summary>
    public static string PresentedKey(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return KeyHeaders.Select(header => request.Headers[header].ToString()).FirstOrDefault(value => value.Length > 0)
               ?? request.Query["code"].ToString();
    }

    private static ApiAccessDecision ForConsoleUser(PlatformPrincipal principal, RouteAccess route)
    {
        if (route.ConsoleRoles.Count == 0)
        {
            return Refuse(Problems.Forbidden("The console's signed-in users do not use this route; channels and operators call it with a key."));
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
