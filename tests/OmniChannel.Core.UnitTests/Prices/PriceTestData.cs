using OmniChannel.Core.Prices;
using OmniChannel.Core.Stores;
using OmniChannel.Core.UnitTests.Builders;

namespace OmniChannel.Core.UnitTests.Prices;

/// <summary>A small chain (two stores in NY, one in NJ) and price changes over it.</summary>
internal static class PriceTestData
{
    public static readonly Store Manhattan = new("0001", "Store 1", "New York", "NY", 40.7, -74.0, "America/New_York", BopisEnabled: true);
    public static readonly Store Brooklyn = new("0002", "Store 2", "Brooklyn", "NY", 40.6, -73.9, "America/New_York", BopisEnabled: true);
    public static readonly Store Newark = new("0003", "Store 3", "Newark", "NJ", 40.7, -74.2, "America/New_York", BopisEnabled: true);

    public static readonly IReadOnlyList<Store> Chain = [Manhattan, Brooklyn, Newark];

    public static readonly Uri SimulatorBase = new("http://127.0.0.1:7071/subscribers/");

    /// <summary>Every store's POS and signage, a signage hub per region, and the four chain-wide channels.</summary>
    public static IReadOnlyList<PriceSubscriber> Subscribers() => SubscriberSeed.Generate(Chain, SimulatorBase, TestClock.Now);

    public static Store? ById(string id) => Chain.FirstOrDefault(store => store.Id == id);

    public static PriceChange Change(string id, decimal price, DateTimeOffset effectiveAt, PriceScope? scope = null, string sku = "SKU-1", DateTimeOffset? acceptedAt = null) => new()
    {
        Id = id,
        Items = [new PriceItem(sku, price, "USD")],
        EffectiveAt = effectiveAt,
        Scope = scope ?? PriceScope.All,
        AcceptedAt = acceptedAt ?? TestClock.Now,
    };
}
