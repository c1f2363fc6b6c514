using System.Text.Json.Nodes;

namespace OmniChannel.Core.Security;

/// <summary>
/// The console's two roles in Azure. Static Web Apps signs people in with Microsoft Entra ID and asks the API
/// (<c>POST /api/console/roles</c>, its <c>rolesSource</c>) which roles a user has; the answer is the user's Entra app
/// roles that the console knows. staticwebapp.config.json then allows marketing the rules and insights, stores the pickup queue,
/// and both the Customer 360.
/// </summary>
public static class ConsoleRoles
{
    public const string Marketing = "marketing";
    public const string Store = "store";

    public static IReadOnlyList<string> All { get; } = [Marketing, Store];

    // Entra puts app roles in "roles"; some token versions use the long WS-Federation claim type.
    private static readonly string[] RoleClaimTypes = ["roles", "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"];

    /// <summary>
    /// The known roles among the claims of an identity payload (<c>{identityProvider, userId, claims:[{typ, val}]}</c>),
    /// the one Static Web Apps sends to its roles source and App Service Authentication puts in
    /// <c>x-ms-client-principal</c>. <paramref name="roleClaimType"/> is the payload's own role claim type
    /// (App Service's <c>role_typ</c>), when it names one.
    /// </summary>
    public static IReadOnlyList<string> FromIdentity(JsonObject payload, string? roleClaimType = null) => Known(RoleClaims(payload, roleClaimType));

    /// <summary>Every role claim's value in the payload (as <see cref="RoleName"/> writes it), known to the console or not.</summary>
    public static IEnumerable<string> RoleClaims(JsonObject payload, string? roleClaimType = null)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return payload["claims"] is JsonArray claims
            ? claims.OfType<JsonObject>()
                .Where(claim => claim["typ"] is JsonValue type && type.TryGetValue<string>(out var name)
                    && (RoleClaimTypes.Contains(name, StringComparer.OrdinalIgnoreCase) || string.Equals(name, roleClaimType, StringComparison.OrdinalIgnoreCase)))
                .Select(claim => RoleName(claim["val"]))
                .OfType<string>()
            : [];
    }

    /// <summary>A role as given (a JSON string), trimmed and in lower case; null when it is not a string.</summary>
    public static string? RoleName(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var role) ? role.Trim().ToLowerInvariant() : null;

    /// <summary>The console's roles among some role names, each once, in order.</summary>
    public static IReadOnlyList<string> Known(IEnumerable<string> roles) =>
        [.. roles.Where(All.Contains).Distinct().Order(StringComparer.Ordinal)];
}
