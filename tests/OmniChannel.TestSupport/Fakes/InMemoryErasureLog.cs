using System.Globalization;
using OmniChannel.Core.Ports;

namespace OmniChannel.TestSupport.Fakes;

/// <summary>The erasures container in memory: tombstones by hash with the order they were written in, jobs by id; counts the reads ingest makes.</summary>
public sealed class InMemoryErasureLog : IErasureLog
{
    private readonly Dictionary<string, (ErasureTombstone Tombstone, long Written)> _tombstones = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ErasureJob> _jobs = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _writes;

    /// <summary>Calls of <see cref="ReadWrittenSinceAsync"/> (ingest makes one per batch).</summary>
    public int SinceReads { get; private set; }

    /// <summary>When set, the next <see cref="DeleteJobAsync"/> throws it instead (a crash just before the job ends).</summary>
    public Exception? FailNextJobDelete { get; set; }

    public IReadOnlyCollection<ErasureTombstone> Tombstones
    {
        get
        {
            lock (_lock)
            {
                return _tombstones.Values.Select(entry => entry.Tombstone).ToList();
            }
        }
    }

    public IReadOnlyCollection<ErasureJob> Jobs
    {
        get
        {
            lock (_lock)
            {
                return _jobs.Values.ToList();
            }
        }
    }

    public Task WriteTombstonesAsync(IReadOnlyCollection<ErasureTombstone> tombstones, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            foreach (var tombstone in tombstones)
            {
                _tombstones[tombstone.KeyHash] = (tombstone, ++_writes);
            }

            return Task.CompletedTask;
        }
    }

    public Task<ErasureTombstone?> GetTombstoneAsync(string keyHash, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_tombstones.TryGetValue(keyHash, out var entry) ? entry.Tombstone : null);
        }
    }

    public Task<(IReadOnlyList<ErasureTombstone> Tombstones, string? Cursor)> ReadWrittenSinceAsync(string? since, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            SinceReads++;
            var after = since is null ? 0 : long.Parse(since, CultureInfo.InvariantCulture);
            IReadOnlyList<ErasureTombstone> found = _tombstones.Values.Where(entry => entry.Written > after).OrderBy(entry => entry.Written).Select(entry => entry.Tombstone).ToList();
            return Task.FromResult((found, (string?)_writes.ToString(CultureInfo.InvariantCulture)));
        }
    }

    public Task<ErasureJob?> GetJobAsync(string jobId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_jobs.GetValueOrDefault(jobId));
        }
    }

    public Task SaveJobAsync(ErasureJob job, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _jobs[job.Id] = job;
            return Task.CompletedTask;
        }
    }

    public Task DeleteJobAsync(string jobId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (FailNextJobDelete is { } failure)
            {
                FailNextJobDelete = null;
                throw failure;
            }

            _jobs.Remove(jobId);
            return Task.CompletedTask;
        }
    }
}
