namespace OmniChannel.Core.Ports;

/// <summary>
/// The erasures (right to erasure): a tombstone per erased identity, stored by a hash of its key so it holds nothing
/// personal, and the one erasure in progress per person (its job), which a retry finishes.
/// </summary>
public interface IErasureLog
{
    /// <summary>Writes the tombstones (a repeat replaces one, with the same erasure time), each with the time it is written.</summary>
    Task WriteTombstonesAsync(IReadOnlyCollection<ErasureTombstone> tombstones, CancellationToken cancellationToken);

    Task<ErasureTombstone?> GetTombstoneAsync(string keyHash, CancellationToken cancellationToken);

    /// <summary>The tombstones written after <paramref name="since"/> (a cursor this method answered, or null for all), oldest write first, and the cursor to ask with next.</summary>
    Task<(IReadOnlyList<ErasureTombstone> Tombstones, string? Cursor)> ReadWrittenSinceAsync(string? since, CancellationToken cancellationToken);

    Task<ErasureJob?> GetJobAsync(string jobId, CancellationToken cancellationToken);

    Task SaveJobAsync(ErasureJob job, CancellationToken cancellationToken);

    Task DeleteJobAsync(string jobId, CancellationToken cancellationToken);
}

/// <summary>An erased identity: events of it at or before <see cref="ErasedAt"/> are dropped by ingest.</summary>
/// <param name="KeyHash">See <see cref="Customers.CustomerErasure.HashOf"/>.</param>
/// <param name="JobId">The erasure that wrote it (to finish it when a retry names this identity).</param>
public sealed record ErasureTombstone(string KeyHash, DateTimeOffset ErasedAt, string JobId);

/// <summary>
/// An erasure in progress: the person's identities, profiles and orders as found when it started, kept until every
/// store is done (then deleted), so a retry after a crash between any two deletes finishes the job.
/// </summary>
public sealed record ErasureJob(string Id, string ProfileId, IReadOnlyList<string> Identities, IReadOnlyList<string> ProfileIds, IReadOnlyList<string> OrderIds, DateTimeOffset ErasedAt);
