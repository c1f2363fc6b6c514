using System.Globalization;
using OmniChannel.Core.Inventory;
using OmniChannel.Core.Ports;

namespace OmniChannel.Workflows.Tests.Fakes;

/// <summary>The inventory container in memory with ETag semantics; can be briefly unavailable on demand.</summary>
public sealed class InMemoryInventoryStore : IInventoryStore
{
    private readonly Dictionary<(string StoreId, string Sku), (string Json, int Version)> _items = [];
    private readonly Lock _lock = new();
    private int _unavailableReads;

    /// <summary>How many reads failed with <see cref="TransientStorageException"/> so far.</summary>
    public int FailedReads { get; private set; }

    /// <summary>The next <paramref name="reads"/> reads fail as a throttled store would (429/503).</summary>
    public void BeUnavailableFor(int reads)
    {
        lock (_lock)
        {
            _unavailableReads = reads;
        }
    }

    public void Stock(string storeId, string sku, int onHand)
    {
        lock (_lock)
        {
            _items[(storeId, sku)] = (Copy.Json(new InventoryItem { StoreId = storeId, Sku = sku, OnHand = onHand }), 1);
        }
    }

    public InventoryItem Get(string storeId, string sku)
    {
        lock (_lock)
        {
            return _items.TryGetValue((storeId, sku), out var entry) ? Copy.From<InventoryItem>(entry.Json) : new InventoryItem { StoreId = storeId, Sku = sku };
        }
    }

    public Task<Stored<InventoryItem>?> ReadAsync(string storeId, string sku, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_unavailableReads > 0)
            {
                _unavailableReads--;
                FailedReads++;
                throw new TransientStorageException("Inventory is throttled (429).", TimeSpan.FromMilliseconds(100), new TimeoutException());
            }

            return Task.FromResult(_items.TryGetValue((storeId, sku), out var entry)
                ? new Stored<InventoryItem>(Copy.From<InventoryItem>(entry.Json), entry.Version.ToString(CultureInfo.InvariantCulture))
                : null);
        }
    }

    public Task SaveAsync(InventoryItem item, string? etag, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var key = (item.StoreId, item.Sku);
            var exists = _items.TryGetValue(key, out var current);
            if (etag is null ? exists : !exists || current.Version.ToString(CultureInfo.InvariantCulture) != etag)
            {
                throw new StorageConflictException($"Item {item.StoreId}/{item.Sku} was created or changed by someone else (409/412).");
            }

            _items[key] = (Copy.Json(item), exists ? current.Version + 1 : 1);
            return Task.CompletedTask;
        }
    }
}
