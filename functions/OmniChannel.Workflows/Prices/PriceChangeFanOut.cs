using Microsoft.DurableTask;
using OmniChannel.Core.Prices;
using OmniChannel.Workflows.Bopis;

namespace OmniChannel.Workflows.Prices;

/// <summary>
/// One run of a price change's fan-out: plan the subscribers → deliver in batches (a batch activity delivers to a few
/// hundred subscribers in parallel, retrying transient failures itself), a bounded number of batches at a time →
/// rounds over the subscribers still failing transiently, a doubling durable timer apart → close the run with its
/// counts. Per batch the history grows by a handful of rows, so 5,000 subscribers make about a hundred, not tens of
/// thousands. <see cref="FanOutMode.PerSubscriber"/> runs an activity per subscriber instead (to compare).
/// </summary>
/// <remarks>
/// Deterministic on replay: no clock, ids or I/O here; the timers come from the context. Versioned: a change of the
/// steps goes behind <c>context.CompareVersionTo(...)</c> (README "Changing a workflow safely").
/// </remarks>
public sealed class PriceChangeFanOut : TaskOrchestrator<PriceFanOutInput, DeliveryCounts>
{
    public const string Name = PriceFanOut.OrchestrationName;

    /// <summary>The version new instances start on: today's steps are version 1.0.</summary>
    public const string Version = PriceFanOut.Version;

    public override async Task<DeliveryCounts> RunAsync(TaskOrchestrationContext context, PriceFanOutInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var run = new PriceRunRef(input.ChangeId, input.Run);
        var subscribers = await context.CallActivityAsync<List<string>>(PlanPriceDelivery.Name, run, BopisRetry.Options);
        context.SetCustomStatus(new PriceFanOutProgress(subscribers.Count, 0, 0, subscribers.Count, 0));

        if (input.Mode == FanOutMode.PerSubscriber)
        {
            await DeliverOneByOneAsync(context, input, subscribers);
        }
        else
        {
            await DeliverInBatchesAsync(context, input, subscribers);
        }

        var counts = await context.CallActivityAsync<DeliveryCounts>(FinishPriceChange.Name, run, BopisRetry.Options);
        context.SetCustomStatus(new PriceFanOutProgress(counts.Total, counts.Delivered, counts.Failed, 0, input.Rounds));
        return counts;
    }

    private static async Task DeliverInBatchesAsync(TaskOrchestrationContext context, PriceFanOutInput input, List<string> subscribers)
    {
        int delivered = 0, failed = 0;
        IReadOnlyList<string> pending = subscribers;
        var backOff = input.RoundBackOff;
        for (var round = 1; round <= input.Rounds && pending.Count > 0; round++)
        {
            if (round > 1)
            {
                await context.CreateTimer(backOff, CancellationToken.None);
                backOff *= 2;
            }

            var currentRound = round;
            var outcomes = await InWindowsAsync(
                pending.Chunk(Math.Max(1, input.BatchSize))
                    .Select(batch => (Func<Task<BatchOutcome>>)(() => context.CallActivityAsync<BatchOutcome>(
                        DeliverPriceBatch.Name, new PriceBatch(input.ChangeId, batch, input.AttemptsPerRound, currentRound), BopisRetry.Options)))
                    .ToList(),
                input.MaxParallelActivities);
            delivered += outcomes.Sum(outcome => outcome.Delivered);
            failed += outcomes.Sum(outcome => outcome.Failed);
            pending = outcomes.SelectMany(outcome => outcome.Retry).ToList();
            context.SetCustomStatus(new PriceFanOutProgress(subscribers.Count, delivered, failed, pending.Count, round));
        }
    }

    private static async Task DeliverOneByOneAsync(TaskOrchestrationContext context, PriceFanOutInput input, List<string> subscribers)
    {
        // The SDK refuses a cap below the first interval, so a round back-off under 200 ms must not become the cap.
        var firstRetry = TimeSpan.FromMilliseconds(200);
        var options = TaskOptions.FromRetryPolicy(new RetryPolicy(
            maxNumberOfAttempts: Math.Max(1, input.AttemptsPerRound * input.Rounds),
            firstRetryInterval: firstRetry,
            backoffCoefficient: 2,
            maxRetryInterval: input.RoundBackOff > firstRetry ? input.RoundBackOff : firstRetry)
        {
            HandleFailure = failure => WorkflowFailures.Cause(failure).IsCausedBy<TransientDeliveryException>() || WorkflowFailures.IsTransient(failure),
        });
        await InWindowsAsync(
            subscribers.Select(subscriber => (Func<Task<bool>>)(async () =>
            {
                try
                {
                    await context.CallActivityAsync<DeliveryAttempt>(DeliverPriceToSubscriber.Name, new PriceTarget(input.ChangeId, subscriber), options);
                    return true;
                }
                catch (TaskFailedException)
                {
                    // Retries spent: the ledger keeps the last error and closing the run marks the subscriber failed.
                    return false;
                }
            })).ToList(),
            input.MaxParallelActivities);
    }

    /// <summary>Runs the calls with at most <paramref name="limit"/> in flight; answers their results in call order.</summary>
    private static async Task<IReadOnlyList<T>> InWindowsAsync<T>(IReadOnlyList<Func<Task<T>>> calls, int limit)
    {
        var results = new T[calls.Count];
        var inFlight = new Dictionary<Task<T>, int>();
        var next = 0;
        while (next < calls.Count || inFlight.Count > 0)
        {
            while (next < calls.Count && inFlight.Count < Math.Max(1, limit))
            {
                inFlight.Add(calls[next](), next);
                next++;
            }

            var done = await Task.WhenAny(inFlight.Keys);
            results[inFlight[done]] = await done;
            inFlight.Remove(done);
        }

        return results;
    }
}
