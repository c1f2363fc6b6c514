namespace OmniChannel.Core.Profiles;

/// <summary>One recent event on a profile, enough for the Customer 360 without reading the timeline.</summary>
/// <remarks><see cref="Sku"/> and <see cref="Category"/> are the product of a product view (what remarketing rules look back at).</remarks>
public sealed record ActivityEntry(string EventKey, string EventId, string Type, DateTimeOffset Time, string Channel, string? StoreId, string Summary, string? Sku = null, string? Category = null);
