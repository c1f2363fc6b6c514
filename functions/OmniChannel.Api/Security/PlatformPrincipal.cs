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
public sealed record PlatformPrincipal(string Name, IReadOnlyList<string> ConsoleRoles, bool CarriesRoles)
{
    public const string Header = "x-ms-client-principal";

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

        // Static Web Apps lists the user's roles in userRoles, App Service Authentication in role claims.
        var userRoles = payload["userRoles"] is JsonArray roles
            ? roles.Select(Core.Security.ConsoleRoles.RoleName).OfType<string>().Where(role => !BuiltInRoles.Contains(role))
            : [];
        var allRoles = userRoles.Concat(Core.Security.ConsoleRoles.RoleClaims(payload, Text(payload, "role_typ"))).ToList();
        var name = Text(payload, "userDetails") ?? NameClaim(payload) ?? Text(payload, "userId") ?? "unknown";
        return new PlatformPrincipal(name, Core.Security.ConsoleRoles.Known(allRoles), CarriesRoles: allRoles.Count > 0);
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
