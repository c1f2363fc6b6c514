using OmniChannel.Core.Ports;

namespace OmniChannel.Core.Ingest;

/// <summary>What a replay of parked batches did; <see cref="Error"/> says why it stopped early (the dependency is still down).</summary>
public sealed record ParkedReplayReport(int Batches, int Events, int Remaining, string? Error);

/// <summary>
/// Re-ingests parked batches, oldest first, once the dependency is back. Ingest is idempotent (every event is stored
/// once by id, and projections apply each event once), so a batch that was half applied before it was parked, or a
/// replay repeated, applies nothing twice. A batch leaves the store only after it was applied; the first batch that
/// still fails stops the replay and stays parked.
/// </summary>
public sealed class ParkedBatchReplayer(IParkedBatchStore parked, IngestService ingest)
{
    public const int MaxPerCall = 200;

    public async Task<IReadOnlyList<ParkedBatchSummary>> ListAsync(int limit, CancellationToken cancellationToken) =>
        [.. (await parked.ListAsync(Math.Clamp(limit, 1, MaxPerCall), cancellationToken))
            .Select(batch => new ParkedBatchSummary(batch.Id, batch.PartitionId, batch.FirstSequence, batch.LastSequence, batch.Reason, batch.ParkedAt, batch.Messages.Count))];

    public async Task<ParkedReplayReport> ReplayAsync(CancellationToken cancellationToken)
    {
        var batches = await parked.ListAsync(MaxPerCall, cancellationToken);
        int replayed = 0, events = 0;
        string? error = null;
        foreach (var batch in batches)
        {
            try
            {
                await ingest.IngestAsync(batch.ToMessages(), cancellationToken, allowParking: false);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Not only storage faults: a batch parked for a conflict or an unexpected status may fail the same way again.
                error = $"Batch {batch.Id} could not be applied yet ({exception.Message}); it and the ones after it stay parked.";
                break;
            }

            await parked.RemoveAsync(batch.Id, cancellationToken);
            replayed++;
            events += batch.Messages.Count;
        }

        return new ParkedReplayReport(replayed, events, await parked.CountAsync(cancellationToken), error);
    }
}
