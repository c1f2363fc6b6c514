using System.Text.Json;
using CloudNative.CloudEvents;

namespace OmniChannel.Core.Events;

/// <summary>
/// Ingest's fast path, for events in the canonical form <see cref="EventDecoder.EncodeStructured"/> writes: only known
/// attributes, each once and a non-empty string, specversion 1.0, datacontenttype application/json if present, JSON
/// object data. It reads the body in one pass with a <see cref="Utf8JsonReader"/> (no document of the whole event,
/// no lookup per attribute) and holds each value to the SDK's own checks, as the formatter would (the source and the
/// time through the SDK's parsers unless seen or canonical, see <see cref="KnownSources"/> and
/// <see cref="CanonicalTimestamp"/>), but builds no <see cref="CloudEvent"/>. Anything else, malformed JSON included,
/// answers false and is left to the formatter's path, so both paths accept and reject the same events with the same
/// errors.
/// </summary>
internal static class CanonicalEventReader
{
    private static readonly CloudEventsSpecVersion V1 = CloudEventsSpecVersion.V1_0;

    /// <summary>The attributes a canonical event may carry, as flags so that a repeated one is noticed.</summary>
    [Flags]
    private enum Attribute
    {
        None = 0,
        SpecVersion = 1 << 0,
        Id = 1 << 1,
        Source = 1 << 2,
        Type = 1 << 3,
        Time = 1 << 4,
        DataContentType = 1 << 5,
        Channel = 1 << 6,
        CustomerId = 1 << 7,
        DeviceId = 1 << 8,
        LoyaltyId = 1 << 9,
        EmailHash = 1 << 10,
        StoreId = 1 << 11,
        TraceParent = 1 << 12,
        TraceState = 1 << 13,
        Data = 1 << 14,
    }

    /// <summary>
    /// Reads a canonical event into an envelope; false if the body is not one (the caller then parses it the general
    /// way, which reports malformed JSON, or a value the SDK rejects, the usual way).
    /// </summary>
    /// <param name="sharedTexts">
    /// When given, the identity and store values (which repeat across a batch's events) are taken from it, one string
    /// of each value for the whole batch, and added to it.
    /// </param>
    public static bool TryRead(ReadOnlySpan<byte> body, HashSet<string>? sharedTexts, out EventEnvelope envelope)
    {
        envelope = default;
        try
        {
            return TryReadCore(body, sharedTexts, out envelope);
        }
        catch (Exception exception) when (exception is JsonException or ArgumentException or FormatException)
        {
            return false;
        }
    }

    private static bool TryReadCore(ReadOnlySpan<byte> body, HashSet<string>? sharedTexts, out EventEnvelope envelope)
    {
        envelope = default;
        string? id = null, source = null, type = null, channel = null, customerId = null, deviceId = null, loyaltyId = null;
        string? emailHash = null, storeId = null, traceParent = null, traceState = null;
        DateTimeOffset? time = null;
        JsonElement? data = null;
        var found = Attribute.None;

        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var attribute = AttributeNamed(ref reader);
            if (attribute == Attribute.None || (found & attribute) != 0 || !reader.Read())
            {
                return false;
            }

            found |= attribute;
            if (attribute == Attribute.Data)
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    return false;
                }

                // A document of the data alone, which the event keeps (as JsonElement.Clone would make it).
                data = JsonElement.ParseValue(ref reader);
                continue;
            }

            if (reader.TokenType != JsonTokenType.String)
            {
                return false;
            }

            switch (attribute)
            {
                case Attribute.SpecVersion when !reader.ValueTextEquals("1.0"u8):
                case Attribute.DataContentType when !reader.ValueTextEquals("application/json"u8):
                    return false;
                case Attribute.Id:
                    id = Parsed(ref reader, V1.IdAttribute);
                    break;
                case Attribute.Source:
                    source = KnownSources.Accept(ref reader);
                    break;
                case Attribute.Type:
                    type = Parsed(ref reader, V1.TypeAttribute, EventTypes.Known);
                    break;
                case Attribute.Time:
                    time = TimeOf(ref reader);
                    break;
                case Attribute.Channel:
                    channel = Parsed(ref reader, EventAttributes.Channel, Channels.Known);
                    break;
                case Attribute.CustomerId:
                    customerId = Parsed(ref reader, EventAttributes.CustomerId, sharedTexts);
                    break;
                case Attribute.DeviceId:
                    deviceId = Parsed(ref reader, EventAttributes.DeviceId, sharedTexts);
                    break;
                case Attribute.LoyaltyId:
                    loyaltyId = Parsed(ref reader, EventAttributes.LoyaltyId, sharedTexts);
                    break;
                case Attribute.EmailHash:
                    emailHash = Parsed(ref reader, EventAttributes.EmailHash, sharedTexts);
                    break;
                case Attribute.StoreId:
                    storeId = Parsed(ref reader, EventAttributes.StoreId, sharedTexts);
                    break;
                case Attribute.TraceParent:
                    traceParent = Parsed(ref reader, EventAttributes.TraceParent);
                    break;
                case Attribute.TraceState:
                    traceState = Parsed(ref reader, EventAttributes.TraceState);
                    break;
            }
        }

        // The object has ended, and so must the body (reading on throws on anything after it).
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read()
            || (found & Attribute.SpecVersion) == 0 || data is null
            || string.IsNullOrEmpty(id) || string.IsNullOrEmpty(source) || string.IsNullOrEmpty(type))
        {
            return false;
        }

        envelope = new EventEnvelope(id, source, type, time, channel, customerId, deviceId, loyaltyId, emailHash, storeId, data, traceParent, traceState);
        return true;
    }

    private static Attribute AttributeNamed(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("specversion"u8) ? Attribute.SpecVersion
        : reader.ValueTextEquals("id"u8) ? Attribute.Id
        : reader.ValueTextEquals("source"u8) ? Attribute.Source
        : reader.ValueTextEquals("type"u8) ? Attribute.Type
        : reader.ValueTextEquals("time"u8) ? Attribute.Time
        : reader.ValueTextEquals("datacontenttype"u8) ? Attribute.DataContentType
        : reader.ValueTextEquals("channel"u8) ? Attribute.Channel
        : reader.ValueTextEquals("customerid"u8) ? Attribute.CustomerId
        : reader.ValueTextEquals("deviceid"u8) ? Attribute.DeviceId
        : reader.ValueTextEquals("loyaltyid"u8) ? Attribute.LoyaltyId
        : reader.ValueTextEquals("emailhash"u8) ? Attribute.EmailHash
        : reader.ValueTextEquals("storeid"u8) ? Attribute.StoreId
        : reader.ValueTextEquals("traceparent"u8) ? Attribute.TraceParent
        : reader.ValueTextEquals("tracestate"u8) ? Attribute.TraceState
        : reader.ValueTextEquals("data"u8) ? Attribute.Data
        : Attribute.None;

    /// <summary>The string value once the SDK's checks accept it; a known constant (a type, a channel) is that constant, one string less per event.</summary>
    private static string Parsed(ref Utf8JsonReader reader, CloudEventAttribute attribute, KnownText? known = null)
    {
        var text = known?.Find(ref reader) ?? reader.GetString()!;
        AttributeText.Check(attribute, text);
        return text;
    }

    /// <summary>The string value once the SDK's checks accept it, as the one string of that value in <paramref name="sharedTexts"/>.</summary>
    private static string Parsed(ref Utf8JsonReader reader, CloudEventAttribute attribute, HashSet<string>? sharedTexts)
    {
        Span<char> chars = stackalloc char[Utf8Text.MaxLookupLength];
        string? text = null;
        if (sharedTexts is not null && Utf8Text.TryCopyValue(ref reader, chars, out var length)
            && !sharedTexts.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(chars[..length], out text))
        {
            text = new string(chars[..length]);
            sharedTexts.Add(text);
        }

        text ??= reader.GetString()!;
        AttributeText.Check(attribute, text);
        return text;
    }

    /// <summary>The canonical timestamp is read from the UTF-8 as the SDK would read it; any other goes to the SDK's parser.</summary>
    private static DateTimeOffset TimeOf(ref Utf8JsonReader reader) =>
        !reader.ValueIsEscaped && CanonicalTimestamp.TryParse(reader.ValueSpan, out var time)
            ? time
            : (DateTimeOffset)V1.TimeAttribute.Parse(reader.GetString()!);
}
