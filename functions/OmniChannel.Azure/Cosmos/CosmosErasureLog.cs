using Microsoft.Azure.Cosmos;
using OmniChannel.Core.Ports;

namespace OmniChannel.Azure.Cosmos;

/// <summary>
/// The erasures container: tombstones in partition <c>tombstones</c> (id = the key's hash, sort key = when written,
/// then the hash) and jobs in partition <c>jobs</c>. Ingest asks each batch for the tombstones written since its last
/// ask: one single-partition keyset query, which finds nothing almost always. Writers' clocks may differ a little, so
/// each ask reaches back <see cref="Overlap"/> before the newest tombstone seen (a few tombstones read twice).
/// </summary>
public sealed class CosmosErasureLog(CosmosDatabaseAccessor database, TimeProvider clock) : IErasureLog
{
    private const string Tombstones = "tombstones";
    private const string Jobs = "jobs";
    private const int PageSize = 500;

    /// <summary>How far before the newest tombstone seen each ask reaches back, for writers whose clocks run behind.</summary>
    public static readonly TimeSpan Overlap = TimeSpan.FromMinutes(5);

    private static readonly ItemRequestOptions NoContent = new() { EnableContentResponseOnWrite = false };

    private Container Container => database.Container(CosmosContainers.Erasures);

    private sealed record TombstoneDocument(string Id, string Pk, string SortKey, string KeyHash, DateTimeOffset ErasedAt, string JobId, DateTimeOffset WrittenAt);

    private sealed record JobDocument(string Id, string Pk, ErasureJob Job);

    public Task WriteTombstonesAsync(IReadOnlyCollection<ErasureTombstone> tombstones, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return Task.WhenAll(tombstones.Select(tombstone => CosmosErrors.Guard(
            () => Container.UpsertItemAsync(
                new TombstoneDocument(tombstone.KeyHash, Tombstones, CosmosSortKeys.TimeThen(now, tombstone.KeyHash), tombstone.KeyHash, tombstone.ErasedAt, tombstone.JobId, now),
                new PartitionKey(Tombstones),
                NoContent,
                cancellationToken),
            cancellationToken)));
    }

    public async Task<ErasureTombstone?> GetTombstoneAsync(string keyHash, CancellationToken cancellationToken) =>
        await ReadAsync<TombstoneDocument>(keyHash, Tombstones, cancellationToken) is { } document
            ? new ErasureTombstone(document.KeyHash, document.ErasedAt, document.JobId)
            : null;

    public async Task<(IReadOnlyList<ErasureTombstone> Tombstones, string? Cursor)> ReadWrittenSinceAsync(string? since, CancellationToken cancellationToken)
    {
        var after = since is null ? null : CosmosSortKeys.Time(DateTimeOffset.Parse(since, System.Globalization.CultureInfo.InvariantCulture) - Overlap);
        var found = new List<ErasureTombstone>();
        var newest = since;
        while (true)
        {
            var text = "SELECT TOP @count * FROM c WHERE c.pk = @pk" + (after is null ? string.Empty : " AND c.sortKey > @after") + " ORDER BY c.sortKey ASC";
            var query = new QueryDefinition(text).WithParameter("@count", PageSize).WithParameter("@pk", Tombstones);
            if (after is not null)
            {
                query = query.WithParameter("@after", after);
            }

            var page = await CosmosQueries.TopAsync<TombstoneDocument>(Container, query, Tombstones, PageSize, cancellationToken);
            foreach (var document in page)
            {
                found.Add(new ErasureTombstone(document.KeyHash, document.ErasedAt, document.JobId));
                var written = document.WrittenAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
                if (newest is null || DateTimeOffset.Parse(newest, System.Globalization.CultureInfo.InvariantCulture) < document.WrittenAt)
                {
                    newest = written;
                }
            }

            if (page.Count < PageSize)
            {
                return (found, newest);
            }

            after = page[^1].SortKey;
        }
    }

    public async Task<ErasureJob?> GetJobAsync(string jobId, CancellationToken cancellationToken) =>
        (await ReadAsync<JobDocument>(CosmosIds.Encode(jobId), Jobs, cancellationToken))?.Job;

    public Task SaveJobAsync(ErasureJob job, CancellationToken cancellationToken) =>
        CosmosErrors.Guard(() => Container.UpsertItemAsync(new JobDocument(CosmosIds.Encode(job.Id), Jobs, job), new PartitionKey(Jobs), NoContent, cancellationToken), cancellationToken);

    public Task DeleteJobAsync(string jobId, CancellationToken cancellationToken) =>
        PointDeletes.DeleteAsync(Container, CosmosIds.Encode(jobId), Jobs, cancellationToken);

    private async Task<T?> ReadAsync<T>(string id, string partition, CancellationToken cancellationToken) where T : class
    {
        var read = await CosmosDocuments.ReadAsync<T>(Container, id, new PartitionKey(partition), cancellationToken);
        return read?.Document;
    }
}
