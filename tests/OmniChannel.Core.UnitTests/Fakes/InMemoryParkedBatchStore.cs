using OmniChannel.Core.Ingest;
using OmniChannel.Core.Ports;

namespace OmniChannel.Core.UnitTests.Fakes;

public sealed class InMemoryParkedBatchStore : IParkedBatchStore
{
    private readonly List<ParkedBatch> _batches = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<ParkedBatch> Batches
    {
        get
        {
            lock (_lock)
            {
                return _batches.ToList();
            }
        }
    }

    public Task ParkAsync(ParkedBatch batch, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var index = _batches.FindIndex(parked => parked.Id == batch.Id);
            if (index >= 0)
            {
                _batches[index] = batch;
            }
            else
            {
                _batches.Add(batch);
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ParkedBatch>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<ParkedBatch>>(_batches.OrderBy(batch => batch.ParkedAt).Take(limit).ToList());
        }
    }

    public Task RemoveAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _batches.RemoveAll(batch => batch.Id == id);
        }

        return Task.CompletedTask;
    }

    public Task<int> CountAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_batches.Count);
        }
    }
}
