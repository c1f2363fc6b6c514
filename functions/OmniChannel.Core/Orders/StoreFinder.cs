using OmniChannel.Core.Events;
using OmniChannel.Core.Geo;
using OmniChannel.Core.Ports;

namespace OmniChannel.Core.Orders;

/// <summary>Finds the nearest pickup stores that have every line of an order.</summary>
public sealed class StoreFinder(IStoreDirectory stores, ReservationService reservations)
{
    public async Task<IReadOnlyList<AlternativeStore>> NearestWithStockAsync(string storeId, IReadOnlyList<OrderLine> lines, int count, CancellationToken cancellationToken)
    {
        var all = await stores.ListAsync(cancellationToken);
        var origin = all.FirstOrDefault(store => store.Id == storeId);
        if (origin is null)
        {
            return [];
        }

        var found = new List<AlternativeStore>();
        var candidates = all
            .Where(store => store.BopisEnabled && store.Id != storeId)
            .Select(store => (Store: store, Meters: GeoDistance.Meters(origin.Latitude, origin.Longitude, store.Latitude, store.Longitude)))
            .OrderBy(candidate => candidate.Meters);
        foreach (var (store, meters) in candidates)
        {
            if ((await reservations.ShortagesAsync(store.Id, lines, cancellationToken)).Count == 0)
            {
                found.Add(new AlternativeStore(store.Id, store.Name, store.City, Math.Round(meters / 1000, 1)));
                if (found.Count == count)
                {
                    break;
                }
            }
        }

        return found;
    }
}
