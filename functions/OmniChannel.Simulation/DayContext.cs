using OmniChannel.Core.Stores;

namespace OmniChannel.Simulation;

/// <summary>What every stream of one simulated day shares.</summary>
internal sealed record DayContext(
    int Seed,
    DateTimeOffset Start,
    uint RunTag,
    Catalogue Catalogue,
    IReadOnlyList<Store> Stores,
    IReadOnlyDictionary<string, Store?> PickupStores);
