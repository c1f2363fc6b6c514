namespace OmniChannel.Core.Stores;

/// <summary>A store of the chain, from the store directory (Azure Tables <c>stores</c>).</summary>
public sealed record Store(
    string Id,
    string Name,
    string City,
    string Region,
    double Latitude,
    double Longitude,
    string TimeZone,
    bool BopisEnabled)
{
    /// <summary>The weekly opening hours on the store's clock; null: not known, counted as always open.</summary>
    public OpeningHours? OpeningHours { get; init; }

    /// <summary>Whether the store is open at <paramref name="utc"/> (always, when its hours are not known).</summary>
    public bool IsOpenAt(DateTimeOffset utc) => OpeningHours?.IsOpenAt(utc, TimeZone) ?? true;
}
