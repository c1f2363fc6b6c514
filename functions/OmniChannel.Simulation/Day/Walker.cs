using System.Globalization;
using System.Text.Json.Nodes;
using OmniChannel.Core.Events;
using OmniChannel.Core.Stores;

namespace OmniChannel.Simulation.Day;

/// <summary>
/// An app user of the day who walks near a store in the live part: signed in on the app earlier (linking its device),
/// consented to marketing, viewed a product the store has and put it in the cart; now the phone reports the walk with
/// its device id only, as location SDKs do. The ids are the run's, so the same day sends the same events.
/// </summary>
internal sealed record Walker(string CustomerId, SimulatedDevice App, Store Store, string Sku, decimal Price)
{
    /// <summary>
    /// In the seconds before the set-up is sent: the store's delivery of the product, the sign-in, the consent, the view and the
    /// cart. After anything of the day (a pickup collected a moment ago), so the cart is where their journey stands now.
    /// </summary>
    public IEnumerable<JsonObject> Setup(DateTimeOffset now, string tag)
    {
        var pos = CustomerDay.PosSource(Store);
        yield return Event(tag, "stock", EventTypes.InventoryAdjusted, pos, Channels.Pos, now.AddSeconds(-5), null, deviceOnly: false,
            new JsonObject { ["storeid"] = Store.Id, ["sku"] = Sku, ["delta"] = 12, ["reason"] = "delivery" }, storeId: Store.Id);
        yield return Event(tag, "sign-in", EventTypes.CustomerIdentified, App.Source, App.Channel, now.AddSeconds(-4), CustomerId, deviceOnly: false,
            new JsonObject { ["customerid"] = CustomerId, ["deviceid"] = App.DeviceId });
        yield return Event(tag, "consent", EventTypes.ConsentChanged, App.Source, App.Channel, now.AddSeconds(-3), CustomerId, deviceOnly: false,
            new JsonObject { ["marketing"] = "granted" });
        yield return Event(tag, "view", EventTypes.ProductViewed, App.Source, App.Channel, now.AddSeconds(-2), CustomerId, deviceOnly: false,
            new JsonObject { ["sku"] = Sku });
        yield return Event(tag, CartStep, EventTypes.CartItemAdded, App.Source, App.Channel, now.AddSeconds(-1), CustomerId, deviceOnly: false,
            new JsonObject { ["sku"] = Sku, ["quantity"] = 1, ["price"] = EventWriter.Money(Price) });
    }

    /// <summary>The phone entering the store's geofence (device id only), a few metres from the door.</summary>
    public JsonObject Walk(DateTimeOffset now, string tag) =>
        Event(tag, "walk", EventTypes.GeofenceEntered, App.Source, App.Channel, now, null, deviceOnly: true,
            new JsonObject { ["storeid"] = Store.Id, ["lat"] = Store.Latitude, ["lon"] = Store.Longitude }, storeId: Store.Id);

    /// <summary>
    /// The purchase at the store's till: the product, enough of it for the coupon's usual minimum spend (45 or more);
    /// <paramref name="couponCode"/> set for an offline till that sends the code with the sale.
    /// </summary>
    public JsonObject Sale(DateTimeOffset now, string tag, string? couponCode)
    {
        var quantity = (int)Math.Max(1, Math.Ceiling(45m / Price));
        var data = new JsonObject
        {
            ["storeid"] = Store.Id,
            ["lines"] = new JsonArray(new JsonObject { ["sku"] = Sku, ["quantity"] = quantity, ["price"] = EventWriter.Money(Price) }),
        };
        if (couponCode is not null)
        {
            data["couponcode"] = couponCode;
        }

        return Event(tag, "sale", EventTypes.PosSale, CustomerDay.PosSource(Store), Channels.Pos, now, CustomerId, deviceOnly: false, data, storeId: Store.Id);
    }

    /// <summary>The set-up's last event: once the 360 shows it, the walk may come.</summary>
    public const string CartStep = "cart";

    public string EventId(string tag, string what) => $"day-{tag}-{CustomerId}-{what}";

    public static decimal BasketTotal(JsonObject sale) =>
        ((JsonArray)sale["data"]!["lines"]!).OfType<JsonObject>().Sum(line => (int)line["quantity"]! * decimal.Parse((string)line["price"]!, CultureInfo.InvariantCulture));

    private JsonObject Event(string tag, string what, string type, string source, string channel, DateTimeOffset time, string? customerId, bool deviceOnly, JsonObject data, string? storeId = null) =>
        EventWriter.Envelope(EventId(tag, what), type, source, channel, time,
            new Identities(CustomerId: customerId, DeviceId: deviceOnly || (customerId is not null && channel == App.Channel) ? App.DeviceId : null), storeId, data);
}
