using System.Text.Json.Nodes;

namespace OmniChannel.Core.Security;

/// <summary>
/// The console's two roles in Azure. Static Web Apps signs people in with Microsoft Entra ID and asks the API
/// (<c>POST /api/console/roles</c>, its <c>rolesSource</c>) which roles a user has; the answer is the user's Entra app
/// roles that the console knows. staticwebapp.config.json then allows marketing the rules and insights, stores the pickup queue.
/// </summary>
public static class ConsoleRoles
{
    public const string Marketing = "marketing";
    public const string Store = "store";

    public static IReadOnlyList<string> All { get; } = [Marketing, Store];

    // Entra puts app roles in "roles"; some token versions use the long WS-Federation claim type.
    private static readonly string[] RoleClaimTypes = ["roles", "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"];

    /// <summary>The known roles among the claims of Static Web Apps' identity payload (<c>{identityProvider, userId, claims:[{typ, val}]}</c>).</summary>
    public static IReadOnlyList<string> FromIdentity(JsonObject payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (payload["claims"] is not JsonArray claims)
        {
            return [];
        }

        return [.. claims.OfType<JsonObject>()
            .Where(claim => claim["typ"] is JsonValue type && type.TryGetValue<string>(out var name) && RoleClaimTypes.Contains(name, StringComparer.OrdinalIgnoreCase))
            .Select(claim => claim["val"] is JsonValue value && value.TryGetValue<string>(out var role) ? role.Trim().ToLowerInvariant() : null)
            .Where(role => role is not null && All.Contains(role))
            .Select(role => role!)
            .Distinct()
            .Order(StringComparer.Ordinal)];
    }
}
