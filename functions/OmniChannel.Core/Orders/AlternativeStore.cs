namespace OmniChannel.Core.Orders;

/// <summary>A BOPIS store that has every line of an order, and how far it is from the one chosen.</summary>
public sealed record AlternativeStore(string StoreId, string Name, string City, double DistanceKm);
