using OmniChannel.Core.Ports;

namespace OmniChannel.Core.UnitTests.Fakes;

public sealed class InMemoryDeadLetterStore : IDeadLetterStore
{
    private readonly List<DeadLetter> _letters = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<DeadLetter> Letters
    {
        get
        {
            lock (_lock)
            {
                return _letters.ToList();
            }
        }
    }

    public Task WriteAsync(DeadLetter letter, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _letters.Add(letter);
            return Task.CompletedTask;
        }
    }
}
