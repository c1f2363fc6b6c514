namespace OmniChannel.Core.Profiles;

/// <summary>An order of the customer's that is no longer open, remembered by when it was placed.</summary>
public sealed record ClosedOrder(string OrderId, DateTimeOffset PlacedAt);
