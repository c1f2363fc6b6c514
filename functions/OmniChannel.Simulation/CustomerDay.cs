using System.Globalization;
using System.Text.Json.Nodes;
using OmniChannel.Core.Events;
using OmniChannel.Core.Stores;

namespace OmniChannel.Simulation;

/// <summary>
/// One customer's day: one to four online sessions and perhaps a store visit, one after the other.
/// <para>
/// An online session starts anonymous on one of the customer's devices (<c>deviceid</c> only) and views products
/// (geometric, mean 5, at most 30; 8 % of views check the home store's stock). 25 % of sessions sign in after a
/// view or two (<c>omni.customer.identified</c> joining <c>deviceid</c> and <c>customerid</c>, with the
/// <c>emailhash</c> 40 % and the loyalty id 30 % of the time); events after it carry both. 32 % of sessions add one
/// to three viewed products to the cart; of those carts 38 % are ordered (signing in first if needed; 30 % of orders
/// are picked up at a pickup store, the rest shipped), 47 % abandoned and 15 % left open. 6 % of signed-in sessions
/// change marketing consent (granted 60 %, revoked 40 %).
/// </para>
/// <para>
/// A store visit (30 % of customers; a third of them do nothing online) is at the home store 80 % of the time. A
/// customer with the app installed triggers <c>omni.geofence.entered</c> 75 % of the time (device identity only);
/// 70 % of visits end in an <c>omni.pos.sale</c> of one to three lines, identified by the loyalty card (85 % of
/// cardholders), else the e-receipt's e-mail hash (60 %), else the customer account.
/// </para>
/// </summary>
internal sealed class CustomerDay : IEventStream
{
    public const double StoreVisitShare = 0.30;
    private const double StoreOnlyShare = 1.0 / 3;
    private static readonly double[] OnlineSessionWeights = [55, 27, 13, 5];
    private const double ViewStop = 0.2;
    private const int MaxViews = 30;
    private const double StoreStockCheckShare = 0.08;
    private const double RevisitShare = 0.35;
    private const double SignInShare = 0.25;
    private const double CartShare = 0.32;
    private static readonly double[] CartItemWeights = [60, 30, 10];
    private static readonly double[] QuantityWeights = [85, 12, 3];
    private const double OrderShare = 0.38;
    private const double AbandonShare = 0.47;
    private const double PickupShare = 0.30;
    private const double ConsentShare = 0.06;
    private const double HomeStoreShare = 0.80;
    private const double GeofenceShare = 0.75;
    private const double PosSaleShare = 0.70;
    private const double LoyaltyScanShare = 0.85;
    private const double EReceiptShare = 0.60;
    private const double CouponShare = 0.06;
    private static readonly TimeSpan GapBetweenVisits = TimeSpan.FromMinutes(5);

    private readonly SimulatedCustomer _customer;
    private readonly DayContext _day;
    private readonly EventWriter _writer;
    private readonly Random _random;
    private readonly List<(DateTimeOffset Start, SimulatedDevice? Device)> _visits = [];
    private DateTimeOffset _now;
    private int _orders;

    public CustomerDay(SimulatedCustomer customer, DayContext day, int stream)
    {
        _customer = customer;
        _day = day;
        _writer = new EventWriter(day.RunTag, stream);
        _random = Seeds.Random(day.Seed, Seeds.CustomerDay, customer.Index, day.Start.UtcTicks);

        var storeVisit = _random.Chance(StoreVisitShare);
        var sessions = storeVisit && _random.Chance(StoreOnlyShare) ? 0 : _random.Weighted(OnlineSessionWeights) + 1;
        for (var session = 0; session < sessions; session++)
        {
            _visits.Add((day.Start + Diurnal.Online(_random), customer.Devices[_random.Next(customer.Devices.Count)]));
        }

        if (storeVisit)
        {
            _visits.Add((day.Start + Diurnal.InStore(_random), null));
        }

        _visits.Sort((left, right) => left.Start.CompareTo(right.Start));
    }

    public DateTimeOffset NotBefore => _visits[0].Start;

    /// <summary>The day's events; enumerate once (the random stream goes on from where the plan left it).</summary>
    public IEnumerable<TimedEvent> Events()
    {
        _now = DateTimeOffset.MinValue;
        foreach (var (start, device) in _visits)
        {
            _now = _now == DateTimeOffset.MinValue || start > _now + GapBetweenVisits ? start : _now + GapBetweenVisits;
            var visit = device is null ? StoreVisit() : OnlineSession(device);
            foreach (var timed in visit)
            {
                yield return timed;
            }
        }
    }

    private IEnumerable<TimedEvent> OnlineSession(SimulatedDevice device)
    {
        var identities = new Identities(DeviceId: device.DeviceId);
        var signedIn = false;
        var views = _random.Geometric(ViewStop, MaxViews);
        var signInAfter = _random.Chance(SignInShare) ? _random.Next(1, Math.Min(3, views) + 1) : 0;
        var viewed = new List<int>(views);
        for (var view = 1; view <= views; view++)
        {
            var product = viewed.Count > 0 && _random.Chance(RevisitShare) ? viewed[_random.Next(viewed.Count)] : _day.Catalogue.Pick(_random);
            viewed.Add(product);
            var data = new JsonObject { ["sku"] = _day.Catalogue.Sku(product) };
            if (_random.Chance(StoreStockCheckShare))
            {
                data["storeid"] = _customer.HomeStore.Id;
            }

            yield return Emit(EventTypes.ProductViewed, device.Source, device.Channel, identities, null, data);
            Advance(15, 120);
            if (view == signInAfter)
            {
                yield return SignIn(device, ref identities);
                signedIn = true;
                Advance(5, 30);
            }
        }

        if (_random.Chance(CartShare))
        {
            var cart = new List<(int Product, int Quantity)>();
            var items = _random.Weighted(CartItemWeights) + 1;
            for (var index = viewed.Count - 1; index >= 0 && cart.Count < items; index--)
            {
                if (!cart.Exists(line => line.Product == viewed[index]))
                {
                    cart.Add((viewed[index], _random.Weighted(QuantityWeights) + 1));
                }
            }

            foreach (var (product, quantity) in cart)
            {
                yield return Emit(EventTypes.CartItemAdded, device.Source, device.Channel, identities, null, new JsonObject
                {
                    ["sku"] = _day.Catalogue.Sku(product),
                    ["quantity"] = quantity,
                    ["price"] = EventWriter.Money(_day.Catalogue.Price(product)),
                });
                Advance(20, 90);
            }

            var outcome = _random.NextDouble();
            if (outcome < OrderShare)
            {
                if (!signedIn)
                {
                    yield return SignIn(device, ref identities);
                    signedIn = true;
                    Advance(20, 60);
                }

                yield return PlaceOrder(device, identities, cart);
                Advance(10, 60);
            }
            else if (outcome < OrderShare + AbandonShare)
            {
                Advance(15 * 60, 45 * 60);
                var skus = new JsonArray();
                foreach (var (product, _) in cart)
                {
                    skus.Add(_day.Catalogue.Sku(product));
                }

                yield return Emit(EventTypes.CartAbandoned, device.Source, device.Channel, identities, null, new JsonObject { ["skus"] = skus });
            }
        }

        if (signedIn && _random.Chance(ConsentShare))
        {
            yield return Emit(EventTypes.ConsentChanged, device.Source, device.Channel, identities, null, new JsonObject
            {
                ["marketing"] = _random.Chance(0.6) ? "granted" : "revoked",
            });
            Advance(5, 30);
        }
    }

    private TimedEvent SignIn(SimulatedDevice device, ref Identities identities)
    {
        var data = new JsonObject { ["customerid"] = _customer.CustomerId, ["deviceid"] = device.DeviceId };
        if (_random.Chance(0.4))
        {
            data["emailhash"] = _customer.EmailHash;
        }

        if (_customer.LoyaltyId is not null && _random.Chance(0.3))
        {
            data["loyaltyid"] = _customer.LoyaltyId;
        }

        identities = new Identities(CustomerId: _customer.CustomerId, DeviceId: device.DeviceId);
        return Emit(EventTypes.CustomerIdentified, device.Source, device.Channel, identities, null, data);
    }

    private TimedEvent PlaceOrder(SimulatedDevice device, Identities identities, List<(int Product, int Quantity)> cart)
    {
        var pickupStore = _day.PickupStores[_customer.HomeStore.Id];
        var pickup = pickupStore is not null && _random.Chance(PickupShare);
        var data = new JsonObject
        {
            ["orderid"] = string.Create(CultureInfo.InvariantCulture, $"ORD-{_day.RunTag:X8}-{_customer.Index:D7}-{++_orders}"),
            ["lines"] = Lines(cart),
            ["fulfilment"] = pickup ? "pickup" : "ship",
        };
        if (pickup)
        {
            data["storeid"] = pickupStore!.Id;
        }

        return Emit(EventTypes.OrderPlaced, device.Source, device.Channel, identities, null, data);
    }

    private IEnumerable<TimedEvent> StoreVisit()
    {
        var store = _random.Chance(HomeStoreShare) ? _customer.HomeStore : _day.Stores[_random.Next(_day.Stores.Count)];
        var app = _customer.Devices.FirstOrDefault(device => device.Channel == Channels.App);
        if (app is not null && _random.Chance(GeofenceShare))
        {
            yield return Emit(EventTypes.GeofenceEntered, app.Source, app.Channel, new Identities(DeviceId: app.DeviceId), store.Id, new JsonObject
            {
                ["storeid"] = store.Id,
                ["lat"] = Math.Round(store.Latitude + (_random.NextDouble() - 0.5) * 0.002, 5),
                ["lon"] = Math.Round(store.Longitude + (_random.NextDouble() - 0.5) * 0.002, 5),
            });
        }

        Advance(3 * 60, 20 * 60);
        if (!_random.Chance(PosSaleShare))
        {
            yield break;
        }

        var identities = _customer.LoyaltyId is not null && _random.Chance(LoyaltyScanShare) ? new Identities(LoyaltyId: _customer.LoyaltyId)
            : _random.Chance(EReceiptShare) ? new Identities(EmailHash: _customer.EmailHash)
            : new Identities(CustomerId: _customer.CustomerId);
        var basket = new List<(int Product, int Quantity)>();
        var lines = _random.Weighted(CartItemWeights) + 1;
        while (basket.Count < lines)
        {
            basket.Add((_day.Catalogue.Pick(_random), _random.Weighted(QuantityWeights) + 1));
        }

        var data = new JsonObject { ["storeid"] = store.Id, ["lines"] = Lines(basket) };

        // The draws of a coupon stay (the day's other events keep their values), but no code is sent: a made-up code is
        // unknown to the backbone and only fills the ops view of coupon conflicts. Real codes are the backbone's own,
        // redeemed by the live part of `simulate` (Day/LiveDay).
        if (_random.Chance(CouponShare))
        {
            _ = _random.Hex(4);
        }

        yield return Emit(EventTypes.PosSale, PosSource(store), Channels.Pos, identities, store.Id, data);
        Advance(30, 120);
    }

    public static string PosSource(Store store) => "/pos/store/" + store.Id;

    private JsonArray Lines(List<(int Product, int Quantity)> items)
    {
        var lines = new JsonArray();
        foreach (var (product, quantity) in items)
        {
            lines.Add(new JsonObject
            {
                ["sku"] = _day.Catalogue.Sku(product),
                ["quantity"] = quantity,
                ["price"] = EventWriter.Money(_day.Catalogue.Price(product)),
            });
        }

        return lines;
    }

    private TimedEvent Emit(string type, string source, string channel, Identities identities, string? storeId, JsonObject data) =>
        _writer.Write(type, source, channel, _now, identities, storeId, data);

    private void Advance(int minSeconds, int maxSeconds) => _now += _random.Seconds(minSeconds, maxSeconds);
}
