using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using OmniChannel.Core.Events;
using OmniChannel.Core.Identity;
using OmniChannel.Core.Insights;
using OmniChannel.Core.Inventory;
using OmniChannel.Core.Ports;

namespace OmniChannel.Core.Ingest;

/// <summary>
/// Ingests one batch from the event hub: stores every event once, stitches identities and projects the Customer
/// 360 and store inventory. It owns its failures, because the Event Hubs trigger checkpoints a batch once its retry
/// policy gives up: poison events go to the dead-letter store, and any fault on the way (a transient storage fault, a
/// conflict that outlived its re-reads, an unexpected status, a dead-letter write, a reaction) retries the whole batch
/// (every step is idempotent, so a retry duplicates nothing) with back-off that honours the store's retry-after; a
/// batch that still fails after <see cref="IngestOptions.ParkAfter"/> is parked (when a parking store is configured)
/// for <see cref="ParkedBatchReplayer"/> to apply once the fault is gone. When parking fails too (the storage account
/// is down as well), the batch is kept and retried until it applies or parks: a batch is never returned to the trigger
/// neither applied nor parked. The fields outside the tracking plan that its events carry are recorded once per batch,
/// under the same retries, so a field is never lost (an event the trigger redelivers may count again).
/// </summary>
public sealed partial class IngestService(
    EventDecoder decoder,
    IEventStore events,
    ProfileStitcher stitcher,
    InventoryUpdater inventory,
    IDeadLetterStore deadLetters,
    IEnumerable<IIngestReaction> reactions,
    InsightsCounters insights,
    IPlanViolationStore violations,
    IngestOptions options,
    TimeProvider clock,
    ILogger<IngestService> logger,
    IParkedBatchStore? parking = null,
    IErasureLog? erasureLog = null)
{
    private readonly ErasureFilter? _erasures = erasureLog is null ? null : new ErasureFilter(erasureLog);

    public static readonly ActivitySource ActivitySource = new("OmniChannel.Ingest");

    /// <param name="allowParking">False when replaying parked batches: a batch that still fails stays where it is.</param>
    public async Task<IngestReport> IngestAsync(IReadOnlyList<IngestMessage> messages, CancellationToken cancellationToken, bool allowParking = true)
    {
        using var activity = ActivitySource.StartActivity(
            ActivityKind.Consumer,
            name: "ingest batch",
            links: messages.Select(message => ActivityContext.TryParse(message.TraceParent, null, out var context) ? new ActivityLink(context) : default)
                .Where(link => link.Context != default));

        var accepted = new List<OmniEvent>(messages.Count);
        var seen = new HashSet<string>(messages.Count, StringComparer.Ordinal);

        // A person's several events in a batch repeat their identities: the decoder makes one string of each value.
        var sharedTexts = new HashSet<string>(StringComparer.Ordinal);
        var traceIds = new HashSet<string>(StringComparer.Ordinal);
        var poison = new List<DeadLetter>();
        foreach (var message in messages)
        {
            try
            {
                var omniEvent = decoder.DecodeStored(message.Body, sharedTexts);
                if (seen.Add(omniEvent.Key))
                {
                    accepted.Add(omniEvent);
                    var traceParent = omniEvent.TraceParent ?? message.TraceParent;
                    if (ActivityContext.TryParse(traceParent, null, out var traceContext))
                    {
                        traceIds.Add(traceContext.TraceId.ToHexString());
                    }

                    LogEventReceived(logger, omniEvent.Id, omniEvent.Source, omniEvent.Type, traceParent);
                }
            }
            catch (PoisonEventException exception)
            {
                poison.Add(ToDeadLetter(message, exception.Message));
            }
        }

        // Each event's span continues its collect request's trace; the batch's writes for one event run under it.
        using var eventSpans = EventSpans.Start(ActivitySource, accepted);

        // Almost always empty: then nothing is allocated and nothing written.
        var unplanned = PlanViolation.Of(accepted);
        var unplannedRecorded = unplanned.Count == 0;
        var started = clock.GetUtcNow();
        var parks = allowParking && parking is not null;
        var deadLettered = 0;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // Under the batch's retries: a dead letter that cannot be written yet is retried, or parked with its batch.
                for (; deadLettered < poison.Count; deadLettered++)
                {
                    var letter = poison[deadLettered];
                    await deadLetters.WriteAsync(letter, cancellationToken);
                    LogDeadLettered(logger, letter.PartitionId, letter.SequenceNumber, letter.Reason, letter.TraceParent);
                }

                // Events of erased people from before their erasure go no further (one read per batch).
                var (toApply, erased) = _erasures is null ? ((IReadOnlyList<OmniEvent>)accepted, 0) : await _erasures.FilterAsync(accepted, cancellationToken);
                if (erased > 0)
                {
                    LogErasedDropped(logger, erased);
                }

                var stored = await events.AppendAsync(toApply, cancellationToken);

                // Counted here, per attempt, so a retry caused by a later step does not lose them (the retry finds them
                // stored before); only events stored by an append that then failed go uncounted. By ingest day, not
                // event time: a late event lands on today, and a past day's counts stop moving.
                await insights.EventsIngestedAsync(stored, clock.GetUtcNow(), cancellationToken);
                if (!unplannedRecorded)
                {
                    // Once per batch (a retry caused by a later step does not count the fields again); its own failure
                    // retries the batch like a reaction's, so the fields are recorded before the batch is done.
                    await AsTransientAsync(nameof(IPlanViolationStore), () => violations.RecordAsync(unplanned, cancellationToken), cancellationToken);
                    unplannedRecorded = true;
                }

                var profiles = await stitcher.ApplyAsync(toApply, cancellationToken);
                var items = await inventory.ApplyAsync(toApply, stored, cancellationToken);
                foreach (var reaction in reactions)
                {
                    // Event by event, in the batch's order, each under its event's span: a workflow the reaction starts
                    // joins the trace of the request that sent the event.
                    foreach (var omniEvent in toApply)
                    {
                        using var eventSpan = EventSpans.Enter(omniEvent);
                        await AsTransientAsync(reaction.GetType().Name, () => reaction.ReactAsync([omniEvent], cancellationToken), cancellationToken);
                    }
                }

                var report = new IngestReport(messages.Count, stored.Count, toApply.Count - stored.Count, deadLettered, profiles.ProfilesWritten, profiles.Merges, items, Erased: erased);
                LogBatchIngested(logger, report.Received, report.Stored, report.Duplicates, report.DeadLettered, report.ProfilesWritten, report.Merges, report.InventoryItemsWritten, TraceIdList(traceIds));
                return report;
            }
            catch (Exception exception) when (parks
                ? !cancellationToken.IsCancellationRequested
                : exception is TransientStorageException && attempt <= options.TransientRetries)
            {
                // Whatever the fault: with a parking store, a batch is retried, then parked, never passed to the trigger.
                if (parks && clock.GetUtcNow() - started >= options.ParkAfter)
                {
                    try
                    {
                        eventSpans.Fail("parked: " + exception.Message.Split('\n')[0]);
                        return await ParkAsync(messages, deadLettered, exception, cancellationToken);
                    }
                    catch (Exception parkFailure) when (!cancellationToken.IsCancellationRequested)
                    {
                        // The parking store is down too (storage and Cosmos DB both out): returning now would let the
                        // trigger checkpoint a batch that is neither applied nor parked, so keep it and retry both.
                        LogParkingFailed(logger, messages.Count, parkFailure.Message.Split('\n')[0]);
                    }
                }

                var backoff = TimeSpan.FromTicks(Math.Min(options.MaxTransientBackoff.Ticks, (long)(options.TransientBackoff.Ticks * Math.Pow(2, Math.Min(attempt - 1, 20)))));
                var delay = (exception as TransientStorageException)?.RetryAfter is { } retryAfter && retryAfter > backoff ? retryAfter : backoff;
                if (exception is TransientStorageException)
                {
                    LogTransientRetry(logger, attempt, delay.TotalMilliseconds, FaultOf(exception));
                }
                else
                {
                    LogFaultRetry(logger, attempt, delay.TotalMilliseconds, FaultOf(exception));
                }
                await Task.Delay(delay, clock, cancellationToken);
            }
        }
    }

    /// <summary>The batch kept failing past the budget: keep it for a replay and let the trigger move on.</summary>
    private async Task<IngestReport> ParkAsync(IReadOnlyList<IngestMessage> messages, int deadLettered, Exception exception, CancellationToken cancellationToken)
    {
        var reason = exception is TransientStorageException
            ? $"Storage unavailable for {options.ParkAfter.TotalSeconds:0} s: {exception.Message.Split('\n')[0]}"
            : $"Failing for {options.ParkAfter.TotalSeconds:0} s: {FaultOf(exception)}";
        var batch = ParkedBatch.Of(messages, reason, clock.GetUtcNow());
        await parking!.ParkAsync(batch, cancellationToken);
        LogParked(logger, batch.Id, messages.Count, reason);
        return new IngestReport(messages.Count, 0, 0, deadLettered, 0, 0, 0, Parked: messages.Count);
    }

    /// <summary>One line for the log and the parked batch: the first line of the message, with the type when it is not a storage fault.</summary>
    private static string FaultOf(Exception exception) => exception is TransientStorageException
        ? exception.Message.Split('\n')[0]
        : $"{exception.GetType().Name}: {exception.Message.Split('\n')[0]}";

    /// <summary>
    /// Runs a reaction or records the plan's violations; whatever it fails with (its stores are Tables and the workflow
    /// engine, whose clients throw their own exceptions) is a transient fault of the batch: retried, then parked, never
    /// passed to the trigger, which would checkpoint past the batch. Reactions are idempotent, so a retry starts nothing twice.
    /// </summary>
    private static async Task AsTransientAsync(string name, Func<Task> step, CancellationToken cancellationToken)
    {
        try
        {
            await step();
        }
        catch (Exception exception) when (exception is not TransientStorageException && !cancellationToken.IsCancellationRequested)
        {
            throw new TransientStorageException($"{name} failed: {exception.Message.Split('\n')[0]}", null, exception);
        }
    }

    /// <summary>
    /// The W3C trace ids of the collect requests behind a batch, for the batch's log line: one search for a request's
    /// trace id finds where its events were ingested. Capped, so a batch from hundreds of requests stays one line; each
    /// event's own traceparent is logged at Debug.
    /// </summary>
    private static string TraceIdList(IReadOnlyCollection<string> traceIds)
    {
        const int Shown = 50;
        return traceIds.Count switch
        {
            0 => "none",
            <= Shown => string.Join(' ', traceIds),
            _ => $"{string.Join(' ', traceIds.Take(Shown))} (+{traceIds.Count - Shown} more, per event at Debug)",
        };
    }

    private DeadLetter ToDeadLetter(IngestMessage message, string reason)
    {
        var id = message.PartitionId is not null && message.SequenceNumber is not null
            ? $"{message.PartitionId}-{message.SequenceNumber}"
            : Convert.ToHexStringLower(SHA256.HashData(message.Body.Span))[..32];
        return new DeadLetter(id, reason, Encoding.UTF8.GetString(message.Body.Span), message.PartitionId, message.SequenceNumber, message.TraceParent, clock.GetUtcNow());
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ingesting event {EventId} from {Source} ({Type}), traceparent {TraceParent}")]
    private static partial void LogEventReceived(ILogger logger, string eventId, string source, string type, string? traceParent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead-lettered event at partition {PartitionId} sequence {SequenceNumber}: {Reason} (traceparent {TraceParent})")]
    private static partial void LogDeadLettered(ILogger logger, string? partitionId, long? sequenceNumber, string reason, string? traceParent);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingested batch: {Received} received, {Stored} stored, {Duplicates} duplicates, {DeadLettered} dead-lettered, {ProfilesWritten} profile writes, {Merges} merges, {InventoryItems} inventory writes; trace ids {TraceIds}")]
    private static partial void LogBatchIngested(ILogger logger, int received, int stored, int duplicates, int deadLettered, int profilesWritten, int merges, int inventoryItems, string traceIds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped {Count} event(s) of erased people, from before their erasure")]
    private static partial void LogErasedDropped(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Parked batch {BatchId} ({Events} events) for a replay: {Reason}")]
    private static partial void LogParked(ILogger logger, string batchId, int events, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not park a batch of {Events} events ({Reason}); it is kept and retried until storage or the parking store is back")]
    private static partial void LogParkingFailed(ILogger logger, int events, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transient storage fault, retrying the batch (attempt {Attempt}) in {DelayMs} ms: {Reason}")]
    private static partial void LogTransientRetry(ILogger logger, int attempt, double delayMs, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ingest failed ({Reason}); retrying the batch (attempt {Attempt}) in {DelayMs} ms, parked if it still fails after the budget")]
    private static partial void LogFaultRetry(ILogger logger, int attempt, double delayMs, string reason);
}
