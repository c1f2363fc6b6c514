using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using OmniChannel.Core.Events;

namespace OmniChannel.Core.UnitTests.Builders;

/// <summary>
/// Builds structured-mode CloudEvents of the OmniChannel contract as JSON: valid by default for every event type,
/// with one call to break or change whatever a test is about.
/// </summary>
public sealed class CloudEventBuilder
{
    public const string EmailHash = "3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a";

    private readonly JsonObject _event;

    private CloudEventBuilder(JsonObject cloudEvent) => _event = cloudEvent;

    /// <summary>A valid event of <paramref name="type"/>, one minute before <see cref="TestClock.Now"/>, from an anonymous web visitor (a store for inventory).</summary>
    public static CloudEventBuilder Of(string type)
    {
        var cloudEvent = new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = Guid.NewGuid().ToString(),
            ["source"] = "/web",
            ["type"] = type,
            ["time"] = Format(TestClock.Now.AddMinutes(-1)),
            ["datacontenttype"] = "application/json",
            ["channel"] = Channels.Web,
            ["deviceid"] = "d-1",
            ["data"] = DataFor(type),
        };
        if (type == EventTypes.CustomerIdentified)
        {
            cloudEvent["customerid"] = "C1";
        }
        else if (type is EventTypes.InventoryAdjusted or EventTypes.PosSale)
        {
            cloudEvent.Remove("deviceid");
            cloudEvent["source"] = "/pos/store/0001";
            cloudEvent["channel"] = Channels.Pos;
            if (type == EventTypes.PosSale)
            {
                cloudEvent["loyaltyid"] = "L1";
            }
        }

        return new CloudEventBuilder(cloudEvent);
    }

    public static CloudEventBuilder View(string sku = "SKU-1") => Of(EventTypes.ProductViewed).Data("sku", sku);

    /// <summary>A sign-in joining a device and a customer.</summary>
    public static CloudEventBuilder SignIn(string customerId, string deviceId) =>
        Of(EventTypes.CustomerIdentified).Customer(customerId).Device(deviceId)
            .WithData(new JsonObject { ["customerid"] = customerId, ["deviceid"] = deviceId });

    public static CloudEventBuilder Adjustment(string storeId, string sku, int delta) =>
        Of(EventTypes.InventoryAdjusted).WithSource($"/pos/store/{storeId}")
            .WithData(new JsonObject { ["storeid"] = storeId, ["sku"] = sku, ["delta"] = delta, ["reason"] = "delivery" });

    public static CloudEventBuilder Sale(string storeId, params (string Sku, int Quantity)[] lines)
    {
        var array = new JsonArray();
        foreach (var (sku, quantity) in lines)
        {
            array.Add(new JsonObject { ["sku"] = sku, ["quantity"] = quantity, ["price"] = "9.99" });
        }

        return Of(EventTypes.PosSale).WithSource($"/pos/store/{storeId}").WithData(new JsonObject { ["storeid"] = storeId, ["lines"] = array });
    }

    public string Id => (string)_event["id"]!;

    public CloudEventBuilder WithId(string id) => Set("id", id);

    public CloudEventBuilder WithSource(string source) => Set("source", source);

    public CloudEventBuilder WithTime(DateTimeOffset time) => Set("time", Format(time));

    public CloudEventBuilder WithChannel(string channel) => Set("channel", channel);

    /// <summary>Sets the event to an anonymous one of <paramref name="deviceId"/> alone.</summary>
    public CloudEventBuilder Anonymous(string deviceId) => Remove("customerid").Remove("loyaltyid").Remove("emailhash").Device(deviceId);

    public CloudEventBuilder Customer(string customerId) => Set("customerid", customerId);

    public CloudEventBuilder Device(string deviceId) => Set("deviceid", deviceId);

    public CloudEventBuilder Loyalty(string loyaltyId) => Set("loyaltyid", loyaltyId);

    public CloudEventBuilder Email(string emailHash) => Set("emailhash", emailHash);

    public CloudEventBuilder NoIdentity() => Remove("customerid").Remove("deviceid").Remove("loyaltyid").Remove("emailhash");

    /// <summary>Sets an attribute (any JSON, so tests can give it the wrong type).</summary>
    public CloudEventBuilder Set(string name, JsonNode? value)
    {
        _event[name] = value?.DeepClone();
        return this;
    }

    public CloudEventBuilder Remove(string name)
    {
        _event.Remove(name);
        return this;
    }

    public CloudEventBuilder WithData(JsonNode? data) => Set("data", data);

    /// <summary>Sets one field of the data object.</summary>
    public CloudEventBuilder Data(string name, JsonNode? value)
    {
        ((JsonObject)_event["data"]!)[name] = value?.DeepClone();
        return this;
    }

    public CloudEventBuilder RemoveData(string name)
    {
        ((JsonObject)_event["data"]!).Remove(name);
        return this;
    }

    /// <summary>Changes the data through a callback (for nested fields such as <c>lines[0].price</c>).</summary>
    public CloudEventBuilder EditData(Action<JsonObject> edit)
    {
        edit((JsonObject)_event["data"]!);
        return this;
    }

    public JsonObject Build() => (JsonObject)_event.DeepClone();

    public string Json() => _event.ToJsonString();

    public byte[] Bytes() => Encoding.UTF8.GetBytes(Json());

    public static byte[] Batch(params CloudEventBuilder[] events) => Encoding.UTF8.GetBytes(new JsonArray(events.Select(e => (JsonNode)e.Build()).ToArray()).ToJsonString());

    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static JsonObject DataFor(string type) => type switch
    {
        EventTypes.ProductViewed => new JsonObject { ["sku"] = "SKU-1" },
        EventTypes.CartItemAdded => new JsonObject { ["sku"] = "SKU-1", ["quantity"] = 2, ["price"] = "12.99" },
        EventTypes.CartAbandoned => new JsonObject { ["skus"] = new JsonArray("SKU-1", "SKU-2") },
        EventTypes.OrderPlaced => new JsonObject
        {
            ["orderid"] = "O-1",
            ["lines"] = new JsonArray(
                new JsonObject { ["sku"] = "SKU-1", ["quantity"] = 1, ["price"] = "12.99" },
                new JsonObject { ["sku"] = "SKU-2", ["quantity"] = 2, ["price"] = 500 }),
            ["fulfilment"] = "pickup",
            ["storeid"] = "0001",
        },
        EventTypes.PosSale => new JsonObject
        {
            ["storeid"] = "0001",
            ["lines"] = new JsonArray(new JsonObject { ["sku"] = "SKU-1", ["quantity"] = 1, ["price"] = "4.50" }),
            ["couponcode"] = "CPN-1",
        },
        EventTypes.CustomerIdentified => new JsonObject { ["customerid"] = "C1", ["deviceid"] = "d-1", ["emailhash"] = EmailHash },
        EventTypes.GeofenceEntered or EventTypes.GeofenceExited => new JsonObject { ["storeid"] = "0001", ["lat"] = 40.7128, ["lon"] = -74.006 },
        EventTypes.InventoryAdjusted => new JsonObject { ["storeid"] = "0001", ["sku"] = "SKU-1", ["delta"] = 12, ["reason"] = "delivery" },
        EventTypes.ConsentChanged => new JsonObject { ["marketing"] = "granted" },
        _ => new JsonObject(),
    };
}
