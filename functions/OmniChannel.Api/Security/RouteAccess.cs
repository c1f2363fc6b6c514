using Microsoft.AspNetCore.Http;
using OmniChannel.Core.Security;

namespace OmniChannel.Api.Security;

/// <summary>What a route asks of its caller.</summary>
public enum AccessLevel
{
    /// <summary>Anyone: health, the API's OpenAPI document (and the local host's reference page), and the console's roles source that Static Web Apps calls at sign-in.</summary>
    Open,

    /// <summary>
    /// No key: the route checks the caller's Standard Webhooks signature itself (the payment service's refund callbacks,
    /// signed with a secret of their own; an API key would be a second secret to rotate for the same caller).
    /// </summary>
    Signed,

    /// <summary>A channel key (or the admin key).</summary>
    Channel,

    /// <summary>The admin key.</summary>
    Admin,
}

/// <summary>
/// A route's level, and which console roles may use it in place of a key. The console's signed-in users reach only
/// the routes its pages call: marketing the rules, simulation and insights; stores their pickup queue; both the
/// Customer 360 (a person, their timeline and their orders' status).
/// staticwebapp.config.json asks the same roles at the edge.
/// </summary>
public sealed record RouteAccess(AccessLevel Level, IReadOnlyList<string> ConsoleRoles)
{
    private static readonly string[] MarketingOnly = [Core.Security.ConsoleRoles.Marketing];
    private static readonly string[] StoreOnly = [Core.Security.ConsoleRoles.Store];
    private static readonly string[] Both = [Core.Security.ConsoleRoles.Marketing, Core.Security.ConsoleRoles.Store];

    /// <summary>The access of <paramref name="method"/> on a path under <c>/api</c> (no leading prefix).</summary>
    public static RouteAccess Of(string method, string pathUnderPrefix)
    {
        var segments = pathUnderPrefix.Trim('/').Split('/');
        var first = segments[0];
        // The API's description and the local host's reference page over it are public, as published API docs are.
        if (Is(first, ApiRoutes.Health) || Is(first, ApiRoutes.OpenApiDocument) || Is(first, ApiRoutes.ApiReference)
            || (Is(first, "console") && segments.Length == 2 && Is(segments[1], "roles")))
        {
            return new RouteAccess(AccessLevel.Open, []);
        }

        if (HttpMethods.IsPost(method) && string.Equals(pathUnderPrefix.Trim('/'), ApiRoutes.PaymentRefundEvents, StringComparison.OrdinalIgnoreCase))
        {
            return new RouteAccess(AccessLevel.Signed, []);
        }

        var level = ApiRoutes.IsAdmin(method, pathUnderPrefix) ? AccessLevel.Admin : AccessLevel.Channel;
        string[] roles = first switch
        {
            _ when Is(first, "remarketing") => MarketingOnly,
            _ when Is(first, "insights") => Both,
            // The store list and a store's queue are read by both pages; only stores hand orders over and take them back.
            _ when Is(first, ApiRoutes.Stores) && HttpMethods.IsGet(method) => Both,
            _ when Is(first, ApiRoutes.Stores) && HttpMethods.IsPost(method) && segments.Length == 5 && Is(segments[2], "orders") => StoreOnly,
            _ when Is(first, ApiRoutes.Stores) && HttpMethods.IsPost(method) && segments.Length == 3 && Is(segments[2], "returns") => StoreOnly,
            // The pick with its short or substituted lines, by order id alone.
            _ when Is(first, ApiRoutes.Orders) && HttpMethods.IsPost(method) && segments.Length == 3 && Is(segments[2], "picked") => StoreOnly,
            // The Customers page: a person's 360 and timeline, and the status of their orders. Not the merge audit, not erasure.
            _ when Is(first, "customers") && HttpMethods.IsGet(method) && (segments.Length == 2 || (segments.Length == 3 && Is(segments[2], "events"))) => Both,
            _ when Is(first, ApiRoutes.Orders) && HttpMethods.IsGet(method) && segments.Length == 2 => Both,
            // The till's coupon checks and redemptions.
            _ when Is(first, "coupons") && HttpMethods.IsPost(method) => StoreOnly,
            _ => [],
        };
        return new RouteAccess(level, roles);
    }

    private static bool Is(string segment, string name) => string.Equals(segment, name, StringComparison.OrdinalIgnoreCase);
}
