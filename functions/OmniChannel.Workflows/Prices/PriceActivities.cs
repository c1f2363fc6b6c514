using Microsoft.DurableTask;
using OmniChannel.Core.Prices;

namespace OmniChannel.Workflows.Prices;

/// <summary>A run of a change's fan-out.</summary>
public sealed record PriceRunRef(string ChangeId, int Run);

/// <summary>A batch of subscribers to deliver a change to, with the attempts each gets in this round.</summary>
public sealed record PriceBatch(string ChangeId, IReadOnlyList<string> SubscriberIds, int Attempts, int Round);

/// <summary>One subscriber of a change (the one-activity-per-subscriber design).</summary>
public sealed record PriceTarget(string ChangeId, string SubscriberId);

/// <summary>A delivery that may succeed if tried again; thrown so the orchestration's retry policy retries it.</summary>
public sealed class TransientDeliveryException(string message) : Exception(message);

/// <summary>Who must hear of the change in this run (and a pending ledger row for each).</summary>
public sealed class PlanPriceDelivery(PriceDeliverer deliverer) : TaskActivity<PriceRunRef, List<string>>
{
    public const string Name = nameof(PlanPriceDelivery);

    public override Task<List<string>> RunAsync(TaskActivityContext context, PriceRunRef input) => ExecuteAsync(input, CancellationToken.None);

    public async Task<List<string>> ExecuteAsync(PriceRunRef input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return [.. await deliverer.PlanAsync(input.ChangeId, input.Run, cancellationToken)];
    }
}

/// <summary>Delivers a change to a batch of subscribers in parallel and records each result.</summary>
public sealed class DeliverPriceBatch(PriceDeliverer deliverer) : TaskActivity<PriceBatch, BatchOutcome>
{
    public const string Name = nameof(DeliverPriceBatch);

    public override Task<BatchOutcome> RunAsync(TaskActivityContext context, PriceBatch input) => ExecuteAsync(input, CancellationToken.None);

    public Task<BatchOutcome> ExecuteAsync(PriceBatch input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return deliverer.DeliverBatchAsync(input.ChangeId, input.SubscriberIds, input.Attempts, input.Round, cancellationToken);
    }
}

/// <summary>One attempt to deliver a change to one subscriber; a transient failure throws, so the retry policy applies.</summary>
public sealed class DeliverPriceToSubscriber(PriceDeliverer deliverer) : TaskActivity<PriceTarget, DeliveryAttempt>
{
    public const string Name = nameof(DeliverPriceToSubscriber);

    public override Task<DeliveryAttempt> RunAsync(TaskActivityContext context, PriceTarget input) => ExecuteAsync(input, CancellationToken.None);

    public async Task<DeliveryAttempt> ExecuteAsync(PriceTarget input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var attempt = await deliverer.DeliverOneAsync(input.ChangeId, input.SubscriberId, cancellationToken);
        return attempt.Outcome == AttemptOutcome.Transient
            ? throw new TransientDeliveryException($"Subscriber {input.SubscriberId}: {attempt.Error}")
            : attempt;
    }
}

/// <summary>Closes a run: leftovers become failed, the change gets its counts.</summary>
public sealed class FinishPriceChange(PriceDeliverer deliverer) : TaskActivity<PriceRunRef, DeliveryCounts>
{
    public const string Name = nameof(FinishPriceChange);

    public override Task<DeliveryCounts> RunAsync(TaskActivityContext context, PriceRunRef input) => ExecuteAsync(input, CancellationToken.None);

    public Task<DeliveryCounts> ExecuteAsync(PriceRunRef input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return deliverer.FinishAsync(input.ChangeId, cancellationToken);
    }
}

/// <summary>The price fan-out's orchestrator and activities, listed once for every host (see <c>BopisRegistration</c>).</summary>
public static class PriceRegistration
{
    public static Type Orchestrator { get; } = typeof(PriceChangeFanOut);

    public static IReadOnlyList<Type> Activities { get; } =
    [
        typeof(PlanPriceDelivery),
        typeof(DeliverPriceBatch),
        typeof(DeliverPriceToSubscriber),
        typeof(FinishPriceChange),
    ];

    public static DurableTaskRegistry AddPriceWorkflow(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddOrchestrator(Orchestrator.Name, Orchestrator);
        foreach (var activity in Activities)
        {
            registry.AddActivity(activity.Name, activity);
        }

        return registry;
    }
}
