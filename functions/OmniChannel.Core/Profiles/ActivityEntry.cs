namespace OmniChannel.Core.Profiles;

/// <summary>One recent event on a profile, enough for the Customer 360 without reading the timeline.</summary>
public sealed record ActivityEntry(string EventKey, string EventId, string Type, DateTimeOffset Time, string Channel, string? StoreId, string Summary);
