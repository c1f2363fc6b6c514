using OmniChannel.Core.Ports;

namespace OmniChannel.Benchmarks.InMemory;

/// <summary>Counts dead letters; a simulated day has none, so a count above zero means the benchmark input is wrong.</summary>
internal sealed class SyncDeadLetterStore : IDeadLetterStore
{
    public int Count { get; private set; }

    public Task WriteAsync(DeadLetter letter, CancellationToken cancellationToken)
    {
        Count++;
        return Task.CompletedTask;
    }

    // The benchmark never replays dead letters.
    public Task<IReadOnlyList<DeadLetter>> ListAsync(string day, int limit, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<DeadLetter>>([]);

    public Task DeleteAsync(DeadLetter letter, CancellationToken cancellationToken) => Task.CompletedTask;
}
