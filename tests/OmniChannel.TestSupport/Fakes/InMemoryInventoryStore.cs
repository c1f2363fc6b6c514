using System.Globalization;
using OmniChannel.Core.Inventory;
using OmniChannel.Core.Ports;

namespace OmniChannel.TestSupport.Fakes;

/// <summary>
/// The inventory container in memory with ETag semantics, counting writes and conflicts; can lose a race on demand,
/// and can be briefly unavailable on demand.
/// </summary>
public sealed class InMemoryInventoryStore : IInventoryStore
{
    private readonly Dictionary<(string StoreId, string Sku), (string Json, int Version)> _items = [];
    private readonly HashSet<(string StoreId, string LedgerId)> _ledger = [];
    private readonly Lock _lock = new();
    private int _unavailableReads;

    /// <summary>When set, the next save of an existing item first applies this change to the stored copy, then fails with a conflict.</summary>
    public Action<InventoryItem>? ConcurrentWriterOnNextSave { get; set; }

    /// <summary>Successful creates and replaces.</summary>
    public int Writes { get; private set; }

    public int Conflicts { get; private set; }

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

    /// <summary>The stored item, or an empty one (nothing on hand or reserved) if it was never written.</summary>
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
            if (exists && ConcurrentWriterOnNextSave is { } writer)
            {
                ConcurrentWriterOnNextSave = null;
                var other = Copy.From<InventoryItem>(current.Json);
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

    public Task<IReadOnlyList<InventoryItem>> ListHeldAsync(string storeId, string? afterSku, int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<InventoryItem> page = _items
                .Where(entry => entry.Key.StoreId == storeId && string.CompareOrdinal(entry.Key.Sku, afterSku ?? string.Empty) > 0)
                .Select(entry => Copy.From<InventoryItem>(entry.Value.Json))
                .Where(item => item.Reserved > 0)
                .OrderBy(item => item.Sku, StringComparer.Ordinal)
                .Take(limit)
                .ToList();
            return Task.FromResult(page);
        }
    }

    /// <summary>Ledger entries written (creates that found their entry already there not counted).</summary>
    public int LedgerWrites { get; private set; }

    public int LedgerReads { get; private set; }

    public Task<IReadOnlySet<string>> RecordedMovementsAsync(string storeId, IReadOnlyCollection<string> ledgerIds, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            LedgerReads += ledgerIds.Count;
            IReadOnlySet<string> recorded = ledgerIds.Where(id => _ledger.Contains((storeId, id))).ToHashSet(StringComparer.Ordinal);
            return Task.FromResult(recorded);
        }
    }

    public Task RecordMovementsAsync(string storeId, IReadOnlyCollection<StockMovement> movements, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            foreach (var movement in movements)
            {
                if (_ledger.Add((storeId, movement.LedgerId)))
                {
                    LedgerWrites++;
                }
            }

            return Task.CompletedTask;
        }
    }
}
