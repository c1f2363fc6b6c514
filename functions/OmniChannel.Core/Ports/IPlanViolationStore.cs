using OmniChannel.Core.Events;

namespace OmniChannel.Core.Ports;

/// <summary>The fields outside the tracking plan that ingest found, one row per source, type and field (<c>GET /api/operations/violations</c>).</summary>
public interface IPlanViolationStore
{
    /// <summary>Merges each row into the stored one of its source, type and field (<see cref="PlanViolation.Merge"/>). Safe to call concurrently.</summary>
    Task RecordAsync(IReadOnlyList<PlanViolation> violations, CancellationToken cancellationToken);

    /// <summary>At most <paramref name="limit"/> rows, the most recently seen first.</summary>
    Task<IReadOnlyList<PlanViolation>> ListAsync(int limit, CancellationToken cancellationToken);
}
