using OmniChannel.Core.Ingest;

namespace OmniChannel.Core.Ports;

/// <summary>Where ingest parks batches while Cosmos DB is down (Azure Storage blobs; Azurite in the local host).</summary>
public interface IParkedBatchStore
{
    /// <summary>Keeps the batch; parking the same batch again replaces it.</summary>
    Task ParkAsync(ParkedBatch batch, CancellationToken cancellationToken);

    /// <summary>The oldest parked batches first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<ParkedBatch>> ListAsync(int limit, CancellationToken cancellationToken);

    Task RemoveAsync(string id, CancellationToken cancellationToken);

    Task<int> CountAsync(CancellationToken cancellationToken);
}
