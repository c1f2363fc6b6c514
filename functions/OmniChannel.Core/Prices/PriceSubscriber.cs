namespace OmniChannel.Core.Prices;

/// <summary>The kinds of system that take price changes.</summary>
public enum SubscriberKind
{
    Pos,
    Web,
    App,
    Signage,
    Marketplace,
}

/// <summary>
/// A system that must hear of every price change in its scope: a store's POS or shelf signage, the web catalogue,
/// the app, a marketplace. Deliveries go to <see cref="Endpoint"/>, signed with a secret kept apart from this record.
/// </summary>
public sealed record PriceSubscriber(string Id, SubscriberKind Kind, PriceScope Scope, Uri Endpoint, bool Enabled, DateTimeOffset CreatedAt);
