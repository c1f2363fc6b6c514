using System.Globalization;
using OmniChannel.Core.Inventory;
using OmniChannel.Core.Ports;

namespace OmniChannel.Benchmarks.InMemory;

internal sealed class SyncInventoryStore : IInventoryStore
{
    private readonly Dictionary<(string StoreId, string Sku), (InventoryItem Item, int Version)> _items = [];
    private readonly HashSet<(string StoreId, string LedgerId)> _ledger = [];

    public void Clear() => _items.Clear();

    public Task<Stored<InventoryItem>?> ReadAsync(string storeId, string sku, CancellationToken cancellationToken)
    {
        lock (_items)
        {
            return Task.FromResult(_items.TryGetValue((storeId, sku), out var entry)
                ? new Stored<InventoryItem>(entry.Item, entry.Version.ToString(CultureInfo.InvariantCulture))
                : null);
        }
    }

    public Task SaveAsync(InventoryItem item, string? etag, CancellationToken cancellationToken)
    {
        lock (_items)
        {
            var exists = _items.TryGetValue((item.StoreId, item.Sku), out var current);
            if (etag is null ? exists : !exists || current.Version.ToString(CultureInfo.InvariantCulture) != etag)
            {
                throw new StorageConflictException($"Item {item.StoreId}/{item.Sku} changed.");
            }

            _items[(item.StoreId, item.Sku)] = (item, exists ? current.Version + 1 : 0);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<InventoryItem>> ListHeldAsync(string storeId, string? afterSku, int limit, CancellationToken cancellationToken)
    {
        lock (_items)
        {
            IReadOnlyList<InventoryItem> page = _items.Values
                .Select(entry => entry.Item)
                .Where(item => item.StoreId == storeId && item.Reserved > 0 && string.CompareOrdinal(item.Sku, afterSku ?? string.Empty) > 0)
                .OrderBy(item => item.Sku, StringComparer.Ordinal)
                .Take(limit)
                .ToList();
            return Task.FromResult(page);
        }
    }

    public Task<IReadOnlySet<string>> RecordedMovementsAsync(string storeId, IReadOnlyCollection<string> ledgerIds, CancellationToken cancellationToken)
    {
        lock (_ledger)
        {
            IReadOnlySet<string> recorded = ledgerIds.Where(id => _ledger.Contains((storeId, id))).ToHashSet(StringComparer.Ordinal);
            return Task.FromResult(recorded);
        }
    }

    public Task RecordMovementsAsync(string storeId, IReadOnlyCollection<StockMovement> movements, CancellationToken cancellationToken)
    {
        lock (_ledger)
        {
            foreach (var movement in movements)
            {
                _ledger.Add((storeId, movement.LedgerId));
            }
        }

        return Task.CompletedTask;
    }
}
