using System.Text.Json.Nodes;
using OmniChannel.Core.Events;
using OmniChannel.Core.Stores;

namespace OmniChannel.Simulation;

/// <summary>
/// The overnight replenishment before the stores open (<see cref="SimulationOptions.StockBeforeSelling"/>): every store
/// gets a delivery (<c>omni.inventory.adjusted</c>, reason <c>delivery</c>, 00:30–04:30 after the start) of each
/// product its tills and its pickup orders will sell that day, the units wanted plus a shelf's margin of 6 to 24, so
/// the day's pickup orders find stock to hold instead of being refused for "0 available".
/// </summary>
internal sealed class OpeningStock : IEventStream
{
    private readonly List<(DateTimeOffset Time, Store Store, string Sku, int Units)> _deliveries = [];
    private readonly EventWriter _writer;

    public OpeningStock(IReadOnlyDictionary<(string StoreId, string Sku), int> wanted, IReadOnlyList<Store> stores, DayContext day, int stream)
    {
        _writer = new EventWriter(day.RunTag, stream);
        var random = Seeds.Random(day.Seed, Seeds.OpeningStock, 0, day.Start.UtcTicks);
        var byId = stores.ToDictionary(store => store.Id, StringComparer.Ordinal);

        // A fixed order (by store, then SKU) before drawing, so the same day gives the same deliveries.
        foreach (var ((storeId, sku), units) in wanted.OrderBy(pair => pair.Key.StoreId, StringComparer.Ordinal).ThenBy(pair => pair.Key.Sku, StringComparer.Ordinal))
        {
            if (byId.TryGetValue(storeId, out var store))
            {
                var time = day.Start + TimeSpan.FromMinutes(30) + TimeSpan.FromSeconds(random.Next(4 * 3_600));
                _deliveries.Add((time, store, sku, units + random.Next(6, 25)));
            }
        }

        _deliveries.Sort((left, right) => left.Time.CompareTo(right.Time));
    }

    public DateTimeOffset NotBefore => _deliveries.Count > 0 ? _deliveries[0].Time : DateTimeOffset.MaxValue;

    public IEnumerable<TimedEvent> Events()
    {
        foreach (var (time, store, sku, units) in _deliveries)
        {
            yield return _writer.Write(EventTypes.InventoryAdjusted, CustomerDay.PosSource(store), Channels.Pos, time, default, store.Id, new JsonObject
            {
                ["storeid"] = store.Id,
                ["sku"] = sku,
                ["delta"] = units,
                ["reason"] = "delivery",
            });
        }
    }

    /// <summary>
    /// The units each store sells of each product during the day: its tills' sales and the pickup orders it fulfils,
    /// read from the customers' days (generated once more; generation is deterministic).
    /// </summary>
    public static Dictionary<(string StoreId, string Sku), int> WantedBy(IEnumerable<JsonObject> customerEvents)
    {
        var wanted = new Dictionary<(string, string), int>();
        foreach (var cloudEvent in customerEvents)
        {
            var type = (string?)cloudEvent["type"];
            if ((type == EventTypes.PosSale || OmniDaySimulator.IsPickupOrder(cloudEvent))
                && cloudEvent["data"] is JsonObject data && (string?)data["storeid"] is { } storeId && data["lines"] is JsonArray lines)
            {
                foreach (var line in lines.OfType<JsonObject>())
                {
                    var key = (storeId, (string)line["sku"]!);
                    wanted[key] = wanted.GetValueOrDefault(key) + (int)line["quantity"]!;
                }
            }
        }

        return wanted;
    }
}
