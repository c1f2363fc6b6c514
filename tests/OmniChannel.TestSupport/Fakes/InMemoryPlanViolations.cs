using OmniChannel.Core.Events;
using OmniChannel.Core.Ports;

namespace OmniChannel.TestSupport.Fakes;

/// <summary>The tracking plan's violations in memory, merged per source, type and field as the table merges them.</summary>
public sealed class InMemoryPlanViolations : IPlanViolationStore
{
    private readonly Dictionary<(string, string, string), PlanViolation> _rows = [];
    private readonly Lock _lock = new();
    private int _calls;

    /// <summary>How many of the next calls to <see cref="RecordAsync"/> throw before recording.</summary>
    public int Failures { get; set; }

    /// <summary>How often <see cref="RecordAsync"/> was called, failed calls included.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public IReadOnlyList<PlanViolation> Rows
    {
        get
        {
            lock (_lock)
            {
                return [.. _rows.Values];
            }
        }
    }

    public Task RecordAsync(IReadOnlyList<PlanViolation> violations, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        lock (_lock)
        {
            if (Failures > 0)
            {
                Failures--;
                throw new InvalidOperationException("The violation store is down.");
            }

            foreach (var violation in violations)
            {
                var key = (violation.Source, violation.Type, violation.Field);
                _rows[key] = _rows.TryGetValue(key, out var stored) ? stored.Merge(violation) : violation;
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<PlanViolation>> ListAsync(int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PlanViolation>>([.. Rows.OrderByDescending(row => row.LastSeen).Take(limit)]);
}
