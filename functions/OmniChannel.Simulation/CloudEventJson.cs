using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using OmniChannel.Core.Identity;

namespace OmniChannel.Simulation;

/// <summary>Small readers and writers for the simulated structured-mode CloudEvents.</summary>
public static class CloudEventJson
{
    /// <summary>The UTF-8 bytes of the event, as a channel posts it and as it travels through the event hub.</summary>
    public static byte[] Encode(JsonObject cloudEvent)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            cloudEvent.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A batched-mode body (<c>application/cloudevents-batch+json</c>): the events as one JSON array.</summary>
    public static byte[] EncodeBatch(IEnumerable<JsonObject> cloudEvents)
    {
        ArgumentNullException.ThrowIfNull(cloudEvents);
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var cloudEvent in cloudEvents)
            {
                cloudEvent.WriteTo(writer);
            }

            writer.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The event hub partition key: the strongest identity the event carries (customer, then loyalty, then e-mail,
    /// then device), or the store for identity-less store events, written as an identity key such as
    /// <c>customer:C0000042</c> — the same key the ingest side derives (<c>OmniEvent.PartitionKey</c>).
    /// </summary>
    public static string PartitionKey(JsonObject cloudEvent)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        if (Text(cloudEvent, "customerid") is { } customer)
        {
            return IdentityKey.Customer(customer).ToString();
        }

        if (Text(cloudEvent, "loyaltyid") is { } loyalty)
        {
            return IdentityKey.Loyalty(loyalty).ToString();
        }

        if (Text(cloudEvent, "emailhash") is { } email)
        {
            return IdentityKey.Email(email.ToLowerInvariant()).ToString();
        }

        if (Text(cloudEvent, "deviceid") is { } device)
        {
            return IdentityKey.Device(device).ToString();
        }

        var store = Text(cloudEvent, "storeid") ?? (cloudEvent["data"] is JsonObject data ? Text(data, "storeid") : null);
        return store is not null
            ? IdentityKey.Store(store).ToString()
            : throw new ArgumentException("The event has neither an identity nor a store.", nameof(cloudEvent));
    }

    /// <summary>The event's <c>time</c> attribute.</summary>
    public static DateTimeOffset Time(JsonObject cloudEvent)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        return DateTimeOffset.Parse(Text(cloudEvent, "time") ?? throw new ArgumentException("The event has no time.", nameof(cloudEvent)),
            System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string? Text(JsonObject json, string name) =>
        json.TryGetPropertyValue(name, out var node) && node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
