using System.Text;
using OmniChannel.Core.Events;
using OmniChannel.Core.Ports;

namespace OmniChannel.Core.Ingest;

/// <summary>A dead letter that still cannot be applied, and why.</summary>
public sealed record StillPoison(string Id, string Reason);

/// <summary>What a replay did: events applied (their dead letters removed) and the ones still refused.</summary>
public sealed record ReplayReport(string Day, int Examined, int Replayed, IReadOnlyList<StillPoison> StillPoison);

/// <summary>
/// Lists dead-lettered (poison) events by day and re-ingests them once a fix lets them through. Each dead letter is
/// decoded first: one that still fails stays where it is, with today's reason; the ones that now decode go through
/// ingest (idempotent: an event applied before changes nothing) and only then leave the dead-letter store.
/// </summary>
public sealed class DeadLetterReplayer(IDeadLetterStore deadLetters, EventDecoder decoder, IngestService ingest)
{
    public const int MaxPerCall = 500;

    public Task<IReadOnlyList<DeadLetter>> ListAsync(string day, int limit, CancellationToken cancellationToken) =>
        deadLetters.ListAsync(day, Math.Clamp(limit, 1, MaxPerCall), cancellationToken);

    public async Task<ReplayReport> ReplayAsync(string day, CancellationToken cancellationToken)
    {
        var letters = await deadLetters.ListAsync(day, MaxPerCall, cancellationToken);
        var stillPoison = new List<StillPoison>();
        var fixedNow = new List<DeadLetter>();
        foreach (var letter in letters)
        {
            try
            {
                decoder.DecodeStored(Encoding.UTF8.GetBytes(letter.Body));
                fixedNow.Add(letter);
            }
            catch (PoisonEventException exception)
            {
                stillPoison.Add(new StillPoison(letter.Id, exception.Message));
            }
        }

        if (fixedNow.Count > 0)
        {
            await ingest.IngestAsync(
                fixedNow.Select(letter => new IngestMessage(Encoding.UTF8.GetBytes(letter.Body), letter.TraceParent, letter.PartitionId, letter.SequenceNumber)).ToList(),
                cancellationToken);
            foreach (var letter in fixedNow)
            {
                await deadLetters.DeleteAsync(letter, cancellationToken);
            }
        }

        return new ReplayReport(day, letters.Count, fixedNow.Count, stillPoison);
    }
}
