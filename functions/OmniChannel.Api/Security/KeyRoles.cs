namespace OmniChannel.Api.Security;

/// <summary>
/// The roles an API key can have. Each role has its own key (and a second, <c>…Next</c>, accepted during a rotation), so
/// a key that leaks from a till or an app opens only what that caller does. <see cref="RouteAccess.Of"/> says which
/// roles open a route.
/// </summary>
public static class KeyRoles
{
    /// <summary>Channels that collect: post events, place orders, say "I'm here", read stores, stock and prices.</summary>
    public const string Collect = "collect";

    /// <summary>A store's associates: the pickup queue and hand-over, the till's coupons, returns, cancelling an order.</summary>
    public const string Store = "store";

    /// <summary>Reading people and orders: the call centre, the apps' account pages.</summary>
    public const string Service = "service";

    /// <summary>Operators: every route.</summary>
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Collect, Store, Service, Admin];
}
