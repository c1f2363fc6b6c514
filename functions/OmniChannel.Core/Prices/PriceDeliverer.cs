using Microsoft.Extensions.Logging;
using OmniChannel.Core.Insights;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Stores;

namespace OmniChannel.Core.Prices;

/// <summary>What one batch activity achieved: counts, and the subscribers still failing transiently (for the next round).</summary>
public sealed record BatchOutcome(int Delivered, int Failed, IReadOnlyList<string> Retry);

/// <summary>
/// The steps of a price fan-out that touch the world, one method per activity: plan who must hear of a change,
/// deliver to a batch (or to one subscriber), and close a run with its counts. The orchestration only sequences them.
/// </summary>
public sealed partial class PriceDeliverer(
    IPriceStore prices,
    ISubscriberRegistry registry,
    ISubscriberSecretStore secrets,
    IDeliveryLedger ledger,
    IPriceDeliveryChannel channel,
    IStoreDirectory stores,
    PriceFanOutOptions options,
    TimeProvider clock,
    InsightsCounters insights,
    ILogger<PriceDeliverer> logger)
{
    /// <summary>
    /// Run 1: every enabled subscriber the change's scope reaches. A later run: the subscribers the earlier runs left
    /// without it. Each gets a pending row in the ledger (so the report counts them from the start); answers their ids.
    /// </summary>
    public async Task<IReadOnlyList<string>> PlanAsync(string changeId, int run, CancellationToken cancellationToken)
    {
        var change = await RequireChangeAsync(changeId, cancellationToken);
        IReadOnlyList<string> ids;
        if (run <= 1)
        {
            var directory = (await stores.ListAsync(cancellationToken)).ToDictionary(store => store.Id, StringComparer.Ordinal);
            ids = (await registry.ListAsync(cancellationToken))
                .Where(subscriber => subscriber.Enabled && change.Scope.Reaches(subscriber.Scope, id => directory.GetValueOrDefault(id)))
                .Select(subscriber => subscriber.Id)
                .Order(StringComparer.Ordinal)
                .ToList();
        }
        else
        {
            // A retry runs only when no run is active, so a pending row is a leftover of a run that ended unfinished.
            ids = (await ledger.ListAsync(changeId, cancellationToken))
                .Where(row => row.State != DeliveryState.Delivered)
                .Select(row => row.SubscriberId)
                .Order(StringComparer.Ordinal)
                .ToList();
        }

        var now = clock.GetUtcNow();
        await ledger.RecordAsync(ids.Select(id => new SubscriberDelivery(changeId, id, DeliveryState.Pending, 0, null, null, false, now, null)).ToList(), cancellationToken);
        return ids;
    }

    /// <summary>
    /// Delivers to a batch, <see cref="PriceFanOutOptions.DeliveryConcurrency"/> at a time, each subscriber up to
    /// <paramref name="attempts"/> times with doubling back-off for transient failures; records every result in the
    /// ledger in one write. <paramref name="round"/> (from 1) makes the attempt counts add up across rounds.
    /// </summary>
    public async Task<BatchOutcome> DeliverBatchAsync(string changeId, IReadOnlyList<string> subscriberIds, int attempts, int round, CancellationToken cancellationToken)
    {
        var change = await RequireChangeAsync(changeId, cancellationToken);
        var recipients = await RecipientsAsync(subscriberIds, cancellationToken);
        var rows = new SubscriberDelivery[subscriberIds.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, subscriberIds.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.DeliveryConcurrency), CancellationToken = cancellationToken },
            async (index, token) =>
            {
                var recipient = recipients?.GetValueOrDefault(subscriberIds[index]) ?? new Recipient(subscriberIds[index], Read: false, null, []);
                var (attempt, made) = await DeliverWithRetriesAsync(change, recipient, Math.Max(1, attempts), token);
                rows[index] = Row(changeId, subscriberIds[index], attempt, ((round - 1) * attempts) + made);
            });

        await ledger.RecordAsync(rows, cancellationToken);
        return new BatchOutcome(
            rows.Count(row => row.State == DeliveryState.Delivered),
            rows.Count(row => row.State == DeliveryState.Failed),
            rows.Where(row => row.State == DeliveryState.Pending).Select(row => row.SubscriberId).ToList());
    }

    /// <summary>One attempt for one subscriber (the one-activity-per-subscriber design); the caller retries transient failures.</summary>
    public async Task<DeliveryAttempt> DeliverOneAsync(string changeId, string subscriberId, CancellationToken cancellationToken)
    {
        var change = await RequireChangeAsync(changeId, cancellationToken);
        var previous = await ledger.GetAsync(changeId, subscriberId, cancellationToken);
        var attempt = await AttemptAsync(change, new Recipient(subscriberId, Read: false, null, []), cancellationToken);
        await ledger.RecordAsync([Row(changeId, subscriberId, attempt, (previous?.Attempts ?? 0) + 1)], cancellationToken);
        return attempt;
    }

    /// <summary>Closes a run: subscribers still pending become failed (keeping their last error); the change gets its counts.</summary>
    public async Task<DeliveryCounts> FinishAsync(string changeId, CancellationToken cancellationToken)
    {
        var rows = await ledger.ListAsync(changeId, cancellationToken);
        var now = clock.GetUtcNow();
        var unfinished = rows.Where(row => row.State == DeliveryState.Pending)
            .Select(row => row with { State = DeliveryState.Failed, LastError = row.LastError ?? "Not delivered before the fan-out ended.", UpdatedAt = now })
            .ToList();
        await ledger.RecordAsync(unfinished, cancellationToken);

        var counts = Count(rows.Select(row => row.State == DeliveryState.Pending ? DeliveryState.Failed : row.State));
        for (var attempt = 1; ; attempt++)
        {
            var stored = await prices.GetChangeAsync(changeId, cancellationToken) ?? throw new InvalidOperationException($"Price change '{changeId}' does not exist.");
            var change = stored.Value;

            // What this run adds to the KPIs: an unfinished change is finishing (a repeat of this step finds it
            // finished and counts nothing); the previous run's result tells the subscribers this run newly reached.
            var finishing = change.FinishedAt is null;
            var previous = change.Result;
            change.Status = counts.Failed == 0 ? PriceChangeStatus.Delivered : PriceChangeStatus.PartiallyDelivered;
            change.Result = counts;
            change.FinishedAt = now;
            try
            {
                await prices.SaveChangeAsync(change, stored.ETag, cancellationToken);
                if (finishing)
                {
                    await insights.PriceRunFinishedAsync(change.AcceptedAt, now, firstFinish: previous is null,
                        Math.Max(0, counts.Delivered - (previous?.Delivered ?? 0)), counts.Failed, cancellationToken);
                }

                break;
            }
            catch (StorageConflictException) when (attempt < 10)
            {
                // A retry request bumped the run counter meanwhile: read again and write the result onto that.
            }
        }

        LogFinished(logger, changeId, counts.Delivered, counts.Failed, counts.Total);
        return counts;
    }

    public static DeliveryCounts Count(IEnumerable<DeliveryState> states)
    {
        int delivered = 0, failed = 0, pending = 0;
        foreach (var state in states)
        {
            switch (state)
            {
                case DeliveryState.Delivered: delivered++; break;
                case DeliveryState.Failed: failed++; break;
                default: pending++; break;
            }
        }

        return new DeliveryCounts(delivered + failed + pending, delivered, failed, pending);
    }

    /// <summary>
    /// A batch's subscribers and their signing secrets, read with one request each (not two point reads per delivery,
    /// which were most of a fan-out's storage traffic). Null when the secrets could not be read at once: each subscriber
    /// then reads its own, so a store throttling one read holds back only that subscriber.
    /// </summary>
    private async Task<Dictionary<string, Recipient>?> RecipientsAsync(IReadOnlyList<string> subscriberIds, CancellationToken cancellationToken)
    {
        var subscribers = await registry.GetManyAsync(subscriberIds, cancellationToken);
        IReadOnlyDictionary<string, IReadOnlyList<string>> signingSecrets;
        try
        {
            signingSecrets = await secrets.GetSigningSecretsAsync(subscribers.Values.Where(subscriber => subscriber.Enabled).Select(subscriber => subscriber.Id).ToList(), cancellationToken);
        }
        catch (TransientStorageException)
        {
            return null;
        }

        return subscriberIds.Distinct(StringComparer.Ordinal).ToDictionary(
            id => id,
            id => new Recipient(id, Read: true, subscribers.GetValueOrDefault(id), signingSecrets.GetValueOrDefault(id) ?? []),
            StringComparer.Ordinal);
    }

    private async Task<(DeliveryAttempt Attempt, int Made)> DeliverWithRetriesAsync(PriceChange change, Recipient recipient, int attempts, CancellationToken cancellationToken)
    {
        var backOff = options.AttemptBackOff;
        for (var made = 1; ; made++)
        {
            var attempt = await AttemptAsync(change, recipient, cancellationToken);
            if (attempt.Outcome != AttemptOutcome.Transient || made >= attempts)
            {
                return (attempt, made);
            }

            await Task.Delay(backOff, clock, cancellationToken);
            backOff *= 2;
        }
    }

    private async Task<DeliveryAttempt> AttemptAsync(PriceChange change, Recipient recipient, CancellationToken cancellationToken)
    {
        var subscriberId = recipient.Id;
        var subscriber = recipient.Read ? recipient.Subscriber : await registry.GetAsync(subscriberId, cancellationToken);
        if (subscriber is null || !subscriber.Enabled)
        {
            return new DeliveryAttempt(AttemptOutcome.Permanent, null, subscriber is null ? "The subscriber is no longer registered." : "The subscriber is disabled.");
        }

        IReadOnlyList<string> signingSecrets;
        try
        {
            signingSecrets = recipient.Read ? recipient.Secrets : await secrets.GetSigningSecretsAsync(subscriberId, cancellationToken);
        }
        catch (TransientStorageException exception)
        {
            // The secret store is throttling or down (its client's own retries spent): this subscriber waits for the
            // next round, the rest of the fan-out goes on.
            return new DeliveryAttempt(AttemptOutcome.Transient, null, $"The signing secret could not be read: {exception.Message.Split('\n')[0]}");
        }

        if (signingSecrets.Count == 0)
        {
            return new DeliveryAttempt(AttemptOutcome.Permanent, null, "The subscriber has no signing secret.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.DeliveryTimeout);
        try
        {
            return await channel.DeliverAsync(change, subscriber, signingSecrets, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DeliveryAttempt(AttemptOutcome.Transient, null, $"No answer within {options.DeliveryTimeout.TotalSeconds:0.#} s.");
        }
    }

    private SubscriberDelivery Row(string changeId, string subscriberId, DeliveryAttempt attempt, int attempts)
    {
        var now = clock.GetUtcNow();
        var state = attempt.Outcome switch
        {
            AttemptOutcome.Delivered => DeliveryState.Delivered,
            AttemptOutcome.Permanent => DeliveryState.Failed,
            _ => DeliveryState.Pending,
        };
        return new SubscriberDelivery(changeId, subscriberId, state, attempts, attempt.StatusCode, attempt.Error,
            attempt.Outcome == AttemptOutcome.Permanent, now, state == DeliveryState.Delivered ? now : null);
    }

    private async Task<PriceChange> RequireChangeAsync(string changeId, CancellationToken cancellationToken) =>
        (await prices.GetChangeAsync(changeId, cancellationToken))?.Value ?? throw new InvalidOperationException($"Price change '{changeId}' does not exist.");

    /// <summary>A subscriber to deliver to: its record and secrets when the batch read them (<see cref="Read"/>), otherwise read per attempt.</summary>
    private sealed record Recipient(string Id, bool Read, PriceSubscriber? Subscriber, IReadOnlyList<string> Secrets);

    [LoggerMessage(Level = LogLevel.Information, Message = "Price change {ChangeId}: {Delivered} of {Total} subscribers delivered, {Failed} failed")]
    private static partial void LogFinished(ILogger logger, string changeId, int delivered, int failed, int total);
}
