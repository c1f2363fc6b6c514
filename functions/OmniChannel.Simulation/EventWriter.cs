using System.Globalization;
using System.Net.Mime;
using System.Text.Json.Nodes;

namespace OmniChannel.Simulation;

/// <summary>
/// Writes the structured-mode CloudEvents of one stream. Ids are UUID-shaped and made of the run, the stream and a
/// sequence number, so they are unique within a run by construction (and so per source), and differ between runs.
/// </summary>
internal sealed class EventWriter(uint runTag, int stream)
{
    private long _sequence;

    public TimedEvent Write(string type, string source, string channel, DateTimeOffset time, Identities identities, string? storeId, JsonObject data)
    {
        var sequence = _sequence++;
        var id = string.Create(CultureInfo.InvariantCulture,
            $"{runTag:x8}-{(stream >> 16) & 0xFFFF:x4}-{stream & 0xFFFF:x4}-{(sequence >> 48) & 0xFFFF:x4}-{sequence & 0xFFFF_FFFF_FFFF:x12}");
        return new TimedEvent(time, Envelope(id, type, source, channel, time, identities, storeId, data));
    }

    /// <summary>A structured-mode CloudEvent of the contract with the given id: the envelope, the identities given, the store, the data.</summary>
    public static JsonObject Envelope(string id, string type, string source, string channel, DateTimeOffset time, Identities identities, string? storeId, JsonObject data)
    {
        var cloudEvent = new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = id,
            ["source"] = source,
            ["type"] = type,
            ["time"] = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["datacontenttype"] = MediaTypeNames.Application.Json,
            ["channel"] = channel,
        };
        Add(cloudEvent, "customerid", identities.CustomerId);
        Add(cloudEvent, "deviceid", identities.DeviceId);
        Add(cloudEvent, "loyaltyid", identities.LoyaltyId);
        Add(cloudEvent, "emailhash", identities.EmailHash);
        Add(cloudEvent, "storeid", storeId);
        cloudEvent["data"] = data;
        return cloudEvent;
    }

    /// <summary>A price as the contract wants it: a decimal string, never a float.</summary>
    public static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    private static void Add(JsonObject cloudEvent, string name, string? value)
    {
        if (value is not null)
        {
            cloudEvent[name] = value;
        }
    }
}
