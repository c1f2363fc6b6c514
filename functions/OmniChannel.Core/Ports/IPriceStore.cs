using OmniChannel.Core.Prices;

namespace OmniChannel.Core.Ports;

/// <summary>Price changes and the effective-dated price records they write.</summary>
public interface IPriceStore
{
    Task<Stored<PriceChange>?> GetChangeAsync(string changeId, CancellationToken cancellationToken);

    /// <summary>Creates the change when <paramref name="etag"/> is null (throws <see cref="StorageConflictException"/> if it exists), else replaces it if unchanged.</summary>
    Task SaveChangeAsync(PriceChange change, string? etag, CancellationToken cancellationToken);

    /// <summary>Writes the records of a change (idempotent: a record is keyed by SKU and change id).</summary>
    Task SaveRecordsAsync(IReadOnlyList<PriceRecord> records, CancellationToken cancellationToken);

    /// <summary>The SKU's records in force at <paramref name="at"/> (effective at or before it), newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<PriceRecord>> RecordsInForceAsync(string sku, DateTimeOffset at, int limit, CancellationToken cancellationToken);
}
