using System.Text.Json.Nodes;
using OmniChannel.Core.Events;
using OmniChannel.Core.Geo;
using OmniChannel.Core.Stores;

namespace OmniChannel.Simulation;

/// <summary>
/// Generates a realistic, reproducible omni-channel retail day as structured-mode CloudEvents
/// (<c>application/cloudevents+json</c>, spec version 1.0) that satisfy the OmniChannel event contract, in time order.
/// <para>
/// The mix, measured over 10,000 customers and the 60 seed stores (seed 1): about 9.7 events per active customer,
/// of which product views ≈ 77 %, cart additions ≈ 6.5 %, sign-ins (<c>omni.customer.identified</c>) ≈ 5.3 %,
/// stock movements (<c>omni.inventory.adjusted</c>) ≈ 3.0 %, abandoned carts ≈ 2.3 %, POS sales ≈ 2.2 %, online
/// orders ≈ 1.8 %, geofence entries ≈ 1.5 % and consent changes ≈ 0.3 %. <see cref="CustomerDay"/> and
/// <see cref="StoreStockDay"/> document the behaviour behind these figures.
/// </para>
/// <para>
/// Each customer's and each store's day is drawn from its own random stream (derived from the seed, the start and
/// its index), and the streams are merged by time, so generation is lazy: memory grows with the customers, not
/// with the events.
/// </para>
/// </summary>
public sealed class OmniDaySimulator
{
    private readonly SimulationOptions _options;
    private readonly DateTimeOffset _start;
    private readonly Catalogue _catalogue;
    private readonly Dictionary<string, Store?> _pickupStores;

    public OmniDaySimulator(SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Customers);
        if (options.Stores.Count == 0)
        {
            throw new ArgumentException("The simulation needs at least one store.", nameof(options));
        }

        _options = options;

        // Event times are written with millisecond precision; start there, so the JSON and the merge order agree.
        _start = new DateTimeOffset(options.Start.UtcTicks - options.Start.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
        _catalogue = new Catalogue(options.CatalogueSize, options.Seed);
        _pickupStores = options.Stores.ToDictionary(store => store.Id, store => PickupStoreFor(store, options.Stores), StringComparer.Ordinal);
        Customers = Enumerable.Range(0, options.Customers)
            .Select(index => CustomerBase.Create(options.Seed, index, options.Stores))
            .ToList();
    }

    /// <summary>The beginning of the simulated day (to the millisecond); its events lie after it.</summary>
    public DateTimeOffset Start => _start;

    /// <summary>The people of the day, by index; their events name these identities.</summary>
    public IReadOnlyList<SimulatedCustomer> Customers { get; }

    /// <summary>
    /// The day's events in time order (ties keep a fixed order). Each enumeration starts afresh and yields the same
    /// events; every <see cref="JsonObject"/> is new, so callers may change or re-parent them.
    /// </summary>
    public IEnumerable<JsonObject> Generate() =>
        _options.PickupOrdersThroughApi ? All().Where(cloudEvent => !IsPickupOrder(cloudEvent)) : All();

    /// <summary>
    /// The day's pickup orders (<c>omni.order.placed</c> with fulfilment pickup) in time order, for a caller that
    /// places them through the orders API (<see cref="SimulationOptions.PickupOrdersThroughApi"/>).
    /// </summary>
    public IEnumerable<JsonObject> PickupOrders() => All().Where(IsPickupOrder);

    /// <summary>The catalogue's product of popularity rank <paramref name="rank"/> (0 the best seller) and its price.</summary>
    public (string Sku, decimal Price) Product(int rank) => (_catalogue.Sku(rank), _catalogue.Price(rank));

    /// <summary>The event's run tag as the ids carry it: what makes a day's ids (and the ids of what follows it) unique.</summary>
    public uint RunTag => (uint)Seeds.Mix(Seeds.Mix((ulong)_options.Seed ^ Seeds.Run) ^ (ulong)_start.UtcTicks);

    /// <summary>Whether the event is a pickup order.</summary>
    public static bool IsPickupOrder(JsonObject cloudEvent) =>
        (string?)cloudEvent["type"] == EventTypes.OrderPlaced && cloudEvent["data"] is JsonObject data && (string?)data["fulfilment"] == "pickup";

    private IEnumerable<JsonObject> All()
    {
        var day = new DayContext(_options.Seed, _start, RunTag, _catalogue, _options.Stores, _pickupStores);
        var streams = new List<IEventStream>(Customers.Count + _options.Stores.Count + 1);
        streams.AddRange(Customers.Select(customer => new CustomerDay(customer, day, customer.Index)));
        var meanMoves = StoreStockDay.MovesPerCustomer * Customers.Count / _options.Stores.Count;
        for (var index = 0; index < _options.Stores.Count; index++)
        {
            streams.Add(new StoreStockDay(_options.Stores[index], index, meanMoves, day, Customers.Count + index));
        }

        if (_options.StockBeforeSelling)
        {
            var customerDays = Merge([.. Customers.Select(customer => (IEventStream)new CustomerDay(customer, day, customer.Index))]);
            streams.Add(new OpeningStock(OpeningStock.WantedBy(customerDays), _options.Stores, day, Customers.Count + _options.Stores.Count));
        }

        return Merge(streams);
    }

    private static IEnumerable<JsonObject> Merge(List<IEventStream> streams)
    {
        var pending = Enumerable.Range(0, streams.Count)
            .OrderBy(index => streams[index].NotBefore)
            .ThenBy(index => index)
            .ToArray();
        var active = new PriorityQueue<(IEnumerator<TimedEvent> Events, int Stream), (DateTimeOffset Time, int Stream)>();
        var next = 0;
        try
        {
            while (true)
            {
                // A stream joins when no active event is earlier than its first one, so the output stays in time order.
                while (next < pending.Length && (!active.TryPeek(out _, out var earliest) || streams[pending[next]].NotBefore <= earliest.Time))
                {
                    var stream = pending[next++];
                    var events = streams[stream].Events().GetEnumerator();
                    if (events.MoveNext())
                    {
                        active.Enqueue((events, stream), (events.Current.Time, stream));
                    }
                    else
                    {
                        events.Dispose();
                    }
                }

                if (!active.TryDequeue(out var item, out _))
                {
                    yield break;
                }

                yield return item.Events.Current.Event;
                if (item.Events.MoveNext())
                {
                    active.Enqueue(item, (item.Events.Current.Time, item.Stream));
                }
                else
                {
                    item.Events.Dispose();
                }
            }
        }
        finally
        {
            while (active.TryDequeue(out var item, out _))
            {
                item.Events.Dispose();
            }
        }
    }

    /// <summary>Where a customer of this store picks up an order: the store itself, else the nearest store that offers pickup.</summary>
    private static Store? PickupStoreFor(Store home, IReadOnlyList<Store> stores) =>
        home.BopisEnabled
            ? home
            : stores.Where(store => store.BopisEnabled)
                .OrderBy(store => GeoDistance.Meters(home.Latitude, home.Longitude, store.Latitude, store.Longitude))
                .ThenBy(store => store.Id, StringComparer.Ordinal)
                .FirstOrDefault();
}
