using OmniChannel.Core.Stores;

namespace OmniChannel.Core.Prices;

/// <summary>
/// The local host's price subscribers for a store directory: every store's POS and shelf signage, each region's
/// electronic shelf-label hub, and the chain-wide web catalogue, app and two marketplaces. Each endpoint is the
/// subscriber simulator's address for that subscriber.
/// </summary>
public static class SubscriberSeed
{
    public static IReadOnlyList<PriceSubscriber> Generate(IReadOnlyList<Store> stores, Uri simulatorBase, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(stores);
        var subscribers = new List<PriceSubscriber>
        {
            New("web-catalogue", SubscriberKind.Web, PriceScope.All),
            New("mobile-app", SubscriberKind.App, PriceScope.All),
            New("marketplace-1", SubscriberKind.Marketplace, PriceScope.All),
            New("marketplace-2", SubscriberKind.Marketplace, PriceScope.All),
        };
        foreach (var region in stores.Select(store => store.Region).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal))
        {
            subscribers.Add(New($"signage-hub-{region.ToLowerInvariant()}", SubscriberKind.Signage, PriceScope.ForRegion(region)));
        }

        foreach (var store in stores.OrderBy(store => store.Id, StringComparer.Ordinal))
        {
            subscribers.Add(New($"pos-{store.Id}", SubscriberKind.Pos, PriceScope.ForStore(store.Id)));
            subscribers.Add(New($"signage-{store.Id}", SubscriberKind.Signage, PriceScope.ForStore(store.Id)));
        }

        return subscribers;

        PriceSubscriber New(string id, SubscriberKind kind, PriceScope scope) =>
            new(id, kind, scope, new Uri(simulatorBase, Uri.EscapeDataString(id)), Enabled: true, createdAt);
    }
}
