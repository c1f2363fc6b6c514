using System.Globalization;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Prices;

namespace OmniChannel.TestSupport.Fakes;

/// <summary>
/// The price containers in memory: changes with ETag semantics (create fails if the id exists, replace if the ETag
/// moved), records keyed by SKU and change id as the real store keys them.
/// </summary>
public sealed class InMemoryPriceStore : IPriceStore
{
    private readonly Dictionary<string, (string Json, int Version)> _changes = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Sku, string ChangeId), PriceRecord> _records = [];
    private readonly Lock _lock = new();

    public int RecordWrites { get; private set; }

    public PriceChange? Get(string changeId)
    {
        lock (_lock)
        {
            return _changes.TryGetValue(changeId, out var entry) ? Copy.From<PriceChange>(entry.Json) : null;
        }
    }

    public IReadOnlyList<PriceRecord> Records(string sku)
    {
        lock (_lock)
        {
            return _records.Values.Where(record => record.Sku == sku).ToList();
        }
    }

    public Task<Stored<PriceChange>?> GetChangeAsync(string changeId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_changes.TryGetValue(changeId, out var entry)
                ? new Stored<PriceChange>(Copy.From<PriceChange>(entry.Json), entry.Version.ToString(CultureInfo.InvariantCulture))
                : null);
        }
    }

    public Task SaveChangeAsync(PriceChange change, string? etag, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var exists = _changes.TryGetValue(change.Id, out var current);
            if (etag is null ? exists : !exists || current.Version.ToString(CultureInfo.InvariantCulture) != etag)
            {
                throw new StorageConflictException($"Price change {change.Id} was created or changed by someone else (409/412).");
            }

            _changes[change.Id] = (Copy.Json(change), exists ? current.Version + 1 : 1);
            return Task.CompletedTask;
        }
    }

    public Task SaveRecordsAsync(IReadOnlyList<PriceRecord> records, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            RecordWrites++;
            foreach (var record in records)
            {
                _records[(record.Sku, record.ChangeId)] = record;
            }

            return Task.CompletedTask;
        }
    }

    public Task<IReadOnlyList<PriceRecord>> RecordsInForceAsync(string sku, DateTimeOffset at, int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<PriceRecord> inForce = _records.Values
                .Where(record => record.Sku == sku && record.EffectiveAt <= at)
                .OrderByDescending(record => record.EffectiveAt)
                .Take(limit)
                .ToList();
            return Task.FromResult(inForce);
        }
    }
}
