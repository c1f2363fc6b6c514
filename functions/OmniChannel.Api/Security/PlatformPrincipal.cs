using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using OmniChannel.Core.Security;

namespace OmniChannel.Api.Security;

/// <summary>
/// The signed-in user App Service Authentication hands to the app in <c>x-ms-client-principal</c>: base64 JSON, either
/// Static Web Apps' shape (<c>identityProvider, userDetails, userRoles[]</c>) or App Service's
/// (<c>auth_typ, name_typ, role_typ, claims[{typ, val}]</c>). Only the console's roles are kept.
/// </summary>
public sealed record PlatformPrincipal(string IdentityProvider, string Name, IReadOnlyList<string> ConsoleRoles, bool CarriesRoles)
{
    public const string Header = "x-ms-client-principal";
    public const string IdentityProviderHeader = "x-ms-client-principal-idp";

    // Roles every Static Web Apps user has; they say nothing about what the user may do.
    private static readonly string[] BuiltInRoles = ["anonymous", "authenticated"];

    /// <summary>The principal in the request; null when there is none. A header that is not base64 JSON throws <see cref="FormatException"/>.</summary>
    public static PlatformPrincipal? Read(HttpRequest request)
    {
        var encoded = request.Headers[Header].ToString();
        if (encoded.Length == 0)
        {
            return null;
        }

        JsonObject payload;
        try
        {
            payload = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(encoded))) as JsonObject
                      ?? throw new FormatException("The principal is not a JSON object.");
        }
        catch (JsonException exception)
        {
            throw new FormatException("The principal is not JSON.", exception);
        }

        var userRoles = payload["userRoles"] is JsonArray roles
            ? roles.Select(role => role is JsonValue value && value.TryGetValue<string>(out var name) ? name.Trim().ToLowerInvariant() : null)
                .Where(role => role is not null && !BuiltInRoles.Contains(role))
                .Select(role => role!)
                .ToList()
            : [];
        var roleClaimType = Text(payload, "role_typ");
        var claimRoles = Core.Security.ConsoleRoles.FromIdentity(payload, roleClaimType);
        var carriesRoles = userRoles.Count > 0 || Core.Security.ConsoleRoles.HasRoleClaims(payload, roleClaimType);
        var consoleRoles = userRoles.Where(Core.Security.ConsoleRoles.All.Contains).Concat(claimRoles).Distinct().Order(StringComparer.Ordinal).ToList();

        var provider = request.Headers[IdentityProviderHeader].ToString() is { Length: > 0 } header
            ? header
            : Text(payload, "identityProvider") ?? Text(payload, "auth_typ") ?? "unknown";
        var name = Text(payload, "userDetails") ?? NameClaim(payload) ?? Text(payload, "userId") ?? "unknown";
        return new PlatformPrincipal(provider, name, consoleRoles, carriesRoles);
    }

    private static string? Text(JsonObject payload, string property) =>
        payload[property] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    private static string? NameClaim(JsonObject payload)
    {
        var nameType = Text(payload, "name_typ") ?? "name";
        return payload["claims"] is JsonArray claims
            ? claims.OfType<JsonObject>().Where(claim => Text(claim, "typ") == nameType).Select(claim => Text(claim, "val")).FirstOrDefault(value => value is not null)
            : null;
    }
}
