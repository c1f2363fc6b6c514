using System.Text.Json;
using System.Text.Json.Serialization;

namespace OmniChannel.Azure.Cosmos;

/// <summary>
/// An event as stored in the events container: what the timeline and erasure read, and the trace context of the request
/// that sent it. Nothing else, because a create costs request units by the document's size (documents written before
/// also carry <c>ingestedAt</c>, which nothing reads and which is ignored).
/// </summary>
internal sealed record EventDocument(
    string Id,
    string Pk,
    string SortKey,
    string EventId,
    string Source,
    string Type,
    DateTimeOffset Time,
    string Channel,
    string? CustomerId,
    string? DeviceId,
    string? LoyaltyId,
    string? EmailHash,
    string? StoreId,
    JsonElement Data,
    string? TraceParent)
{
    /// <summary>Sorts newest last as a string: fixed-width UTC time, then the key so equal times stay distinct.</summary>
    public static string SortKeyFor(DateTimeOffset time, string key) =>
        CosmosSortKeys.TimeThen(time, key);

    [JsonIgnore]
    public string Key => Id;

    public Core.Ports.TimelineEntry ToTimelineEntry() =>
        new(SortKey, EventId, Source, Type, Time, Channel, Pk, StoreId, Data, new Core.Identity.IdentitySet(CustomerId, DeviceId, LoyaltyId, EmailHash));
}
