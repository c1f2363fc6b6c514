using OmniChannel.Core.Stores;

namespace OmniChannel.Simulation;

/// <summary>
/// What to simulate: one day of a retailer's omni-channel traffic for <see cref="Customers"/> active customers and the
/// stores of <see cref="Stores"/>, starting at <see cref="Start"/>. The same options always give the same events.
/// </summary>
/// <param name="Seed">
/// Drives every random choice. The customer base (identities, devices, home stores) and the catalogue depend on the
/// seed alone, so two days with one seed and different <paramref name="Start"/> times are the same people coming back;
/// what they do, and the event ids, depend on the start too, so the second day's events are new events.
/// </param>
/// <param name="Customers">How many customers are active during the day (each has at least one visit).</param>
/// <param name="Stores">The store directory, typically <see cref="StoreSeed.Generate"/>.</param>
/// <param name="Start">The beginning of the simulated day; event times lie in the 24 hours after it (a late session may run a little past).</param>
public sealed record SimulationOptions(int Seed, int Customers, IReadOnlyList<Store> Stores, DateTimeOffset Start)
{
    /// <summary>How many products the catalogue has; their popularity follows a Zipf law, as in real retail.</summary>
    public int CatalogueSize { get; init; } = 2_000;

    /// <summary>
    /// Adds the overnight deliveries of everything the stores sell that day (<see cref="OpeningStock"/>), so pickup
    /// orders find stock. Off by default: the figures of the mix above are without it.
    /// </summary>
    public bool StockBeforeSelling { get; init; }

    /// <summary>
    /// Leaves the pickup orders out of <see cref="OmniDaySimulator.Generate"/>: they are placed through the orders API
    /// instead (<see cref="OmniDaySimulator.PickupOrders"/>), as a web shop does.
    /// </summary>
    public bool PickupOrdersThroughApi { get; init; }
}
