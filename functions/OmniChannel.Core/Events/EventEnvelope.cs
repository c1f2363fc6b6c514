using System.Text.Json;
using CloudNative.CloudEvents;

namespace OmniChannel.Core.Events;

/// <summary>
/// The attribute values the contract reads, taken from the SDK's <see cref="CloudEvent"/> or, on ingest's fast path,
/// straight from canonical JSON after the SDK's own attribute parsers accepted them; one validator serves both.
/// </summary>
internal readonly record struct EventEnvelope(
    string? Id,
    string? Source,
    string? Type,
    DateTimeOffset? Time,
    string? Channel,
    string? CustomerId,
    string? DeviceId,
    string? LoyaltyId,
    string? EmailHash,
    string? StoreId,
    JsonElement? Data,
    string? TraceParent,
    string? TraceState)
{
    /// <summary>
    /// The SDK's event carries data that is not JSON (text, bytes), which the contract rejects otherwise than missing
    /// data. JSON data is kept as a <see cref="JsonElement"/>, not an object: boxing it cost an allocation per event.
    /// </summary>
    public bool HasDataOtherThanJson { get; init; }

    public static EventEnvelope From(CloudEvent cloudEvent) => new(
        cloudEvent.Id,
        cloudEvent.Source?.OriginalString,
        cloudEvent.Type,
        cloudEvent.Time,
        cloudEvent[EventAttributes.Channel] as string,
        cloudEvent[EventAttributes.CustomerId] as string,
        cloudEvent[EventAttributes.DeviceId] as string,
        cloudEvent[EventAttributes.LoyaltyId] as string,
        cloudEvent[EventAttributes.EmailHash] as string,
        cloudEvent[EventAttributes.StoreId] as string,
        cloudEvent.Data as JsonElement?,
        cloudEvent[EventAttributes.TraceParent] as string,
        cloudEvent[EventAttributes.TraceState] as string)
    {
        HasDataOtherThanJson = cloudEvent.Data is not (null or JsonElement),
    };
}
