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

    public Task<IReadOnlyList<DeadLetter>> ListAsync(string day, int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<DeadLetter>>(_letters
                .Where(letter => letter.FailedAt.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) == day)
                .OrderBy(letter => letter.FailedAt)
                .Take(limit)
                .ToList());
        }
    }

    public Task DeleteAsync(DeadLetter letter, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _letters.RemoveAll(stored => stored.Id == letter.Id);
            return Task.CompletedTask;
        }
    }
}
