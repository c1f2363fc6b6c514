using System.Text.Json.Serialization;
using Microsoft.Azure.Cosmos;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Prices;

namespace OmniChannel.Azure.Cosmos;

/// <summary>
/// Price changes (container <c>pricechanges</c>, by id) and effective-dated price records (container <c>prices</c>,
/// partitioned by SKU so "the price of this SKU at that moment" is one keyset query in one partition).
/// </summary>
public sealed class CosmosPriceStore(CosmosDatabaseAccessor database) : IPriceStore
{
    public async Task<Stored<PriceChange>?> GetChangeAsync(string changeId, CancellationToken cancellationToken)
    {
        var id = CosmosIds.Encode(changeId);
        var read = await CosmosDocuments.ReadAsync<PriceChangeDocument>(database.Container(CosmosContainers.PriceChanges), id, new PartitionKey(id), cancellationToken);
        return read is { } found ? new Stored<PriceChange>(found.Document.Change, found.ETag) : null;
    }

    public Task SaveChangeAsync(PriceChange change, string? etag, CancellationToken cancellationToken)
    {
        var container = database.Container(CosmosContainers.PriceChanges);
        var id = CosmosIds.Encode(change.Id);
        var document = new PriceChangeDocument(id, change);
        return CosmosDocuments.WriteAsync(container, document, id, new PartitionKey(id), etag, cancellationToken);
    }

    public async Task SaveRecordsAsync(IReadOnlyList<PriceRecord> records, CancellationToken cancellationToken)
    {
        var container = database.Container(CosmosContainers.Prices);
        await Parallel.ForEachAsync(records, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (record, token) =>
            await CosmosErrors.Guard(
                () => container.UpsertItemAsync(PriceRecordDocument.From(record), new PartitionKey(record.Sku), new ItemRequestOptions { EnableContentResponseOnWrite = false }, token),
                token));
    }

    public async Task<IReadOnlyList<PriceRecord>> RecordsInForceAsync(string sku, DateTimeOffset at, int limit, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT TOP @limit * FROM c WHERE c.sku = @sku AND c.effectiveKey <= @at ORDER BY c.effectiveKey DESC")
            .WithParameter("@limit", limit)
            .WithParameter("@sku", sku)
            .WithParameter("@at", PriceRecordDocument.Key(at));
        var documents = await CosmosQueries.TopAsync<PriceRecordDocument>(database.Container(CosmosContainers.Prices), query, sku, limit, cancellationToken);
        return documents.Select(document => document.ToRecord()).ToList();
    }
}

internal sealed record PriceChangeDocument(string Id, PriceChange Change)
{
    [JsonPropertyName("_etag")]
    public string? ETag { get; init; }
}

/// <summary>A price record as stored; <see cref="EffectiveKey"/> is the UTC effective time in a fixed-width, sortable form.</summary>
internal sealed record PriceRecordDocument(
    string Id, string Sku, string ChangeId, decimal Price, string Currency, DateTimeOffset EffectiveAt, string EffectiveKey, PriceScope Scope, DateTimeOffset AcceptedAt)
{
    public static string Key(DateTimeOffset time) => CosmosSortKeys.Time(time);

    public static PriceRecordDocument From(PriceRecord record) =>
        new(CosmosIds.Encode(record.ChangeId), record.Sku, record.ChangeId, record.Price, record.Currency, record.EffectiveAt, Key(record.EffectiveAt), record.Scope, record.AcceptedAt);

    public PriceRecord ToRecord() => new(Sku, ChangeId, Price, Currency, EffectiveAt, Scope, AcceptedAt);
}
