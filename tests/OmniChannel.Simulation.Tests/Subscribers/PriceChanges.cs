using OmniChannel.Core.Prices;

namespace OmniChannel.Simulation.Tests.Subscribers;

internal static class PriceChanges
{
    public static readonly DateTimeOffset AcceptedAt = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    public static PriceChange Sample(string id = "chg-1") => new()
    {
        Id = id,
        Items = [new PriceItem("SKU-1", 9.99m, "USD"), new PriceItem("SKU-2", 120m, "EUR")],
        EffectiveAt = new DateTimeOffset(2026, 12, 1, 6, 0, 0, TimeSpan.Zero),
        Scope = PriceScope.ForRegion("NY"),
        AcceptedAt = AcceptedAt,
    };
}
