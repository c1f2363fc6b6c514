using System.Text.Json.Nodes;
using OmniChannel.Core.Events;
using OmniChannel.Core.Stores;

namespace OmniChannel.Simulation;

/// <summary>
/// One store's stock movements of the day (<c>omni.inventory.adjusted</c>, no person, keyed by the store), posted by
/// the store's handhelds through its POS gateway. About <see cref="MovesPerCustomer"/> movements per active customer
/// are spread over the stores; of them 45 % are deliveries (+6 to +48, early morning), 25 % recounts (±1 to 5),
/// 15 % damaged goods (−1 to −3) and 15 % transfers between stores (±2 to 12).
/// </summary>
internal sealed class StoreStockDay : IEventStream
{
    public const double MovesPerCustomer = 0.3;
    private static readonly double[] ReasonWeights = [45, 25, 15, 15];

    private readonly Store _store;
    private readonly DayContext _day;
    private readonly EventWriter _writer;
    private readonly Random _random;
    private readonly List<(DateTimeOffset Time, int Reason)> _moves = [];

    public StoreStockDay(Store store, int storeIndex, double meanMoves, DayContext day, int stream)
    {
        _store = store;
        _day = day;
        _writer = new EventWriter(day.RunTag, stream);
        _random = Seeds.Random(day.Seed, Seeds.StoreDay, storeIndex, day.Start.UtcTicks);
        var count = _random.Poisson(meanMoves);
        for (var move = 0; move < count; move++)
        {
            var reason = _random.Weighted(ReasonWeights);
            _moves.Add((day.Start + (reason == 0 ? Diurnal.Delivery(_random) : Diurnal.BackOffice(_random)), reason));
        }

        _moves.Sort((left, right) => left.Time.CompareTo(right.Time));
    }

    public DateTimeOffset NotBefore => _moves.Count > 0 ? _moves[0].Time : _day.Start;

    public IEnumerable<TimedEvent> Events()
    {
        foreach (var (time, reason) in _moves)
        {
            var (delta, text) = reason switch
            {
                0 => (_random.Next(6, 49), "delivery"),
                1 => ((_random.Chance(0.5) ? 1 : -1) * _random.Next(1, 6), "recount"),
                2 => (-_random.Next(1, 4), "damaged"),
                _ => ((_random.Chance(0.5) ? 1 : -1) * _random.Next(2, 13), "transfer"),
            };
            yield return _writer.Write(EventTypes.InventoryAdjusted, CustomerDay.PosSource(_store), Channels.Pos, time, default, _store.Id, new JsonObject
            {
                ["storeid"] = _store.Id,
                ["sku"] = _day.Catalogue.Sku(_day.Catalogue.Pick(_random)),
                ["delta"] = delta,
                ["reason"] = text,
            });
        }
    }
}
