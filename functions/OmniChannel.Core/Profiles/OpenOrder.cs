namespace OmniChannel.Core.Profiles;

public sealed record OpenOrder(string OrderId, string Fulfilment, string? StoreId, decimal Total, DateTimeOffset PlacedAt);
