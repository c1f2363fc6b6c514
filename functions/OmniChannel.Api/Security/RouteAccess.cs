using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using ConsoleRole = OmniChannel.Core.Security.ConsoleRoles;
using KeyRole = OmniChannel.Api.Security.KeyRoles;

namespace OmniChannel.Api.Security;

/// <summary>What a route asks of its caller.</summary>
public enum AccessLevel
{
    /// <summary>Anyone: health's liveness answer, the API's OpenAPI document (and the local host's reference page), and the console's roles source that Static Web Apps calls at sign-in.</summary>
    Open,

    /// <summary>
    /// No key: the route checks the caller's Standard Webhooks signature itself (the payment service's refund callbacks,
    /// signed with a secret of their own; an API key would be a second secret to rotate for the same caller).
    /// </summary>
    Signed,

    /// <summary>A key of one of the route's <see cref="RouteAccess.KeyRoles"/>, or a console user of one of its console roles.</summary>
    Key,
}

/// <summary>
/// A route's level, which key roles open it (<see cref="Security.KeyRoles"/>; the admin key opens every keyed route),
/// and which console roles may use it in place of a key. The console's signed-in users reach only the routes its pages
/// call: marketing the rules, simulation and insights; stores their pickup queue; both the Customer 360 (a person, their
/// timeline and their orders' status). staticwebapp.config.json asks the same roles at the edge.
/// </summary>
public sealed record RouteAccess(AccessLevel Level, IReadOnlyList<string> KeyRoles, IReadOnlyList<string> ConsoleRoles)
{
    private static readonly string[] NoRoles = [];
    private static readonly string[] Marketing = [ConsoleRole.Marketing];
    private static readonly string[] Store = [ConsoleRole.Store];
    private static readonly string[] Both = [ConsoleRole.Marketing, ConsoleRole.Store];

    private const string Get = "GET";
    private const string Post = "POST";
    private const string Put = "PUT";
    private const string Delete = "DELETE";

    private static readonly RouteAccess Open = new(AccessLevel.Open, NoRoles, NoRoles);

    /// <summary>A route no row names (one added to a host but not here) is for the admin key only.</summary>
    private static readonly RouteAccess AdminOnly = Keyed([], NoRoles);

    // The one table of who opens what. A template with a literal where another has a parameter comes first
    // (prices/subscribers before prices/{sku}): the first row that matches wins.
    private static readonly (string Method, TemplateMatcher Template, RouteAccess Access)[] Table =
    [
        Row(Get, ApiRoutes.Health, Open),
        Row(Post, ApiRoutes.ConsoleRoles, Open),
        // The API's description and the local host's reference page over it (and the page's script) are public, as
        // published API docs are.
        Row(Get, ApiRoutes.OpenApiDocument, Open),
        Row(Get, ApiRoutes.ApiReference + "/{**asset}", Open),
        Row(Post, ApiRoutes.PaymentRefundEvents, new RouteAccess(AccessLevel.Signed, NoRoles, NoRoles)),

        Row(Post, ApiRoutes.Events, Keyed([KeyRole.Collect], NoRoles)),
        Row(Post, ApiRoutes.Orders, Keyed([KeyRole.Collect], NoRoles)),
        // The app's "I'm here" only tells the store to bring the order out; the same arrival can be posted as an event
        // with the collect key, so a route of its own for that key opens nothing more.
        Row(Post, ApiRoutes.OrderArrived, Keyed([KeyRole.Collect], NoRoles)),
        Row(Get, ApiRoutes.Stores, Keyed([KeyRole.Collect, KeyRole.Store], Both)),
        Row(Get, ApiRoutes.Store, Keyed([KeyRole.Collect, KeyRole.Store], Both)),
        Row(Get, ApiRoutes.StoreInventory, Keyed([KeyRole.Collect, KeyRole.Store], Both)),
        Row(Get, ApiRoutes.PriceSubscribers, AdminOnly),
        Row(Get, ApiRoutes.Price, Keyed([KeyRole.Collect, KeyRole.Store], NoRoles)),

        // The store list and a store's queue are read by both console pages; only stores hand orders over and take them back.
        Row(Get, ApiRoutes.StoreOrders, Keyed([KeyRole.Store], Both)),
        Row(Post, ApiRoutes.StoreOrderPicked, Keyed([KeyRole.Store], Store)),
        Row(Post, ApiRoutes.StoreOrderCollected, Keyed([KeyRole.Store], Store)),
        // The pick with its short or substituted lines, by order id alone.
        Row(Post, ApiRoutes.OrderPicked, Keyed([KeyRole.Store], Store)),
        Row(Post, ApiRoutes.StoreReturns, Keyed([KeyRole.Store], Store)),
        // Cancelling refunds the customer: an associate's decision, not a channel's.
        Row(Post, ApiRoutes.OrderCancel, Keyed([KeyRole.Store], NoRoles)),
        // The till's coupon checks and redemptions.
        Row(Post, ApiRoutes.CouponValidate, Keyed([KeyRole.Store], Store)),
        Row(Post, ApiRoutes.CouponRedeem, Keyed([KeyRole.Store], Store)),

        // The Customers page and the call centre: a person's 360 and timeline, and an order's status. Not the merge
        // audit, not erasure. A store reads an order too, at the pickup desk.
        Row(Get, ApiRoutes.Customer, Keyed([KeyRole.Service], Both)),
        Row(Get, ApiRoutes.CustomerEvents, Keyed([KeyRole.Service], Both)),
        Row(Get, ApiRoutes.Order, Keyed([KeyRole.Service, KeyRole.Store], Both)),

        Row(Get, ApiRoutes.RemarketingRules, Keyed([], Marketing)),
        Row(Get, ApiRoutes.RemarketingRule, Keyed([], Marketing)),
        Row(Put, ApiRoutes.RemarketingRule, Keyed([], Marketing)),
        Row(Delete, ApiRoutes.RemarketingRule, Keyed([], Marketing)),
        Row(Post, ApiRoutes.RemarketingRuleSimulate, Keyed([], Marketing)),
        Row(Get, ApiRoutes.InsightsSummary, Keyed([], Both)),
    ];

    /// <summary>
    /// The access of <paramref name="method"/> on a path under <c>/api</c> (no prefix). Literal segments compare
    /// ignoring case, as routing matches them. Everything no row names (price changes, the subscriber registry,
    /// operations, dead letters, merges, erasure, unknown paths) needs the admin key.
    /// </summary>
    public static RouteAccess Of(string method, string pathUnderPrefix)
    {
        ArgumentNullException.ThrowIfNull(pathUnderPrefix);
        var path = new PathString("/" + pathUnderPrefix.Trim('/'));
        foreach (var (rowMethod, template, access) in Table)
        {
            if (string.Equals(method, rowMethod, StringComparison.OrdinalIgnoreCase) && template.TryMatch(path, []))
            {
                return access;
            }
        }

        return AdminOnly;
    }

    /// <summary>Whether a key of <paramref name="role"/> opens this route.</summary>
    public bool OpensFor(string role) => KeyRoles.Contains(role, StringComparer.Ordinal);

    private static RouteAccess Keyed(string[] roles, string[] consoleRoles) =>
        new(AccessLevel.Key, [.. roles, KeyRole.Admin], consoleRoles);

    private static (string, TemplateMatcher, RouteAccess) Row(string method, string template, RouteAccess access) =>
        (method, new TemplateMatcher(TemplateParser.Parse(template), new RouteValueDictionary()), access);
}
