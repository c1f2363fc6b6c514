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
    bool BopisEnabled);
