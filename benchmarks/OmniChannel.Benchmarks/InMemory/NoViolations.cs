using OmniChannel.Core.Events;
using OmniChannel.Core.Ports;

namespace OmniChannel.Benchmarks.InMemory;

/// <summary>Drops the tracking plan's violations (the simulated channels send none).</summary>
internal sealed class NoViolations : IPlanViolationStore
{
    public Task RecordAsync(IReadOnlyList<PlanViolation> violations, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<PlanViolation>> ListAsync(int limit, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<PlanViolation>>([]);
}
