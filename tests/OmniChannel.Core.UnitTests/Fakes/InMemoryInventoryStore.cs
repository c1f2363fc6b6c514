using System.Globalization;
using OmniChannel.Core.Inventory;
using OmniChannel.Core.Ports;

namespace OmniChannel.Core.UnitTests.Fakes;

/// <summary>The inventory container in memory with ETag semantics, counting writes; can lose a race on demand.</summary>
public sealed class InMemoryInventoryStore : IInventoryStore
{
    private readonly Dictionary<(string StoreId, string Sku), (string Json, int Version)> _items = [];
    private readonly Lock _lock = new();

    /// <summary>When set, the next save of an existing item first applies this change to the stored copy, then fails with a conflict.</summary>
    public Action<InventoryItem>? ConcurrentWriterOnNextSave { get; set; }

    public int Writes { get; private set; }

    public int Conflicts { get; private set; }

    public InventoryItem? Get(string storeId, string sku)
    {
        lock (_lock)
        {
            return _items.TryGetValue((storeId, sku), out var entry) ? System.Text.Json.JsonSerializer.Deserialize<InventoryItem>(entry.Json) : null;
        }
    }

    public Task<Stored<InventoryItem>?> ReadAsync(string storeId, string sku, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_items.TryGetValue((storeId, sku), out var entry)
                ? new Stored<InventoryItem>(System.Text.Json.JsonSerializer.Deserialize<InventoryItem>(entry.Json)!, entry.Version.ToString(CultureInfo.InvariantCulture))
                : null);
        }
    }

    public Task SaveAsync(InventoryItem item, string? etag, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var key = (item.StoreId, item.Sku);
            var exists = _items.TryGetValue(key, out var current);
            if (exists && ConcurrentWriterOnNextSave is { } writer)
            {
                ConcurrentWriterOnNextSave = null;
                var other = System.Text.Json.JsonSerializer.Deserialize<InventoryItem>(current.Json)!;
                writer(other);
                _items[key] = (Copy.Json(other), current.Version + 1);
                Conflicts++;
                throw new StorageConflictException($"Item {item.StoreId}/{item.Sku} changed since it was read (412).");
            }

            if (etag is null ? exists : !exists || current.Version.ToString(CultureInfo.InvariantCulture) != etag)
            {
                Conflicts++;
                throw new StorageConflictException($"Item {item.StoreId}/{item.Sku} was created or changed by someone else (409/412).");
            }

            _items[key] = (Copy.Json(item), exists ? current.Version + 1 : 1);
            Writes++;
            return Task.CompletedTask;
        }
    }
}
