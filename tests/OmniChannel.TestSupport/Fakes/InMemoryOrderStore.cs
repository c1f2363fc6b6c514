using System.Globalization;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;

namespace OmniChannel.TestSupport.Fakes;

/// <summary>The orders container in memory with ETag semantics (create fails if the id exists, replace if the ETag moved), counting writes.</summary>
public sealed class InMemoryOrderStore : IOrderStore
{
    private readonly Dictionary<string, (string Json, int Version)> _orders = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Successful creates and replaces.</summary>
    public int Writes { get; private set; }

    public PickupOrder? Get(string orderId)
    {
        lock (_lock)
        {
            return _orders.TryGetValue(orderId, out var entry) ? Copy.From<PickupOrder>(entry.Json) : null;
        }
    }

    public Task<Stored<PickupOrder>?> GetAsync(string orderId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_orders.TryGetValue(orderId, out var entry)
                ? new Stored<PickupOrder>(Copy.From<PickupOrder>(entry.Json), entry.Version.ToString(CultureInfo.InvariantCulture))
                : null);
        }
    }

    public Task SaveAsync(PickupOrder order, string? etag, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var exists = _orders.TryGetValue(order.Id, out var current);
            if (etag is null ? exists : !exists || current.Version.ToString(CultureInfo.InvariantCulture) != etag)
            {
                throw new StorageConflictException($"Order {order.Id} was created or changed by someone else (409/412).");
            }

            _orders[order.Id] = (Copy.Json(order), exists ? current.Version + 1 : 1);
            Writes++;
            return Task.CompletedTask;
        }
    }

    public Task<IReadOnlyList<PickupOrder>> ListOpenAtStoreAsync(string storeId, int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<PickupOrder> open = _orders.Values
                .Select(entry => Copy.From<PickupOrder>(entry.Json))
                .Where(order => order.StoreId == storeId && !order.Status.IsFinished())
                .OrderBy(order => order.PlacedAt)
                .ThenBy(order => order.Id, StringComparer.Ordinal)
                .Take(limit)
                .ToList();
            return Task.FromResult(open);
        }
    }
}
