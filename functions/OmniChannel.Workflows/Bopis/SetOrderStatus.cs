using Microsoft.DurableTask;
using OmniChannel.Core.Insights;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;

namespace OmniChannel.Workflows.Bopis;

/// <summary>
/// Writes the workflow's progress to the order document (ETag-guarded; a lost race re-reads). Idempotent: the same
/// change twice writes once. An order that has ended keeps its outcome, so a late duplicate of an earlier step cannot
/// reopen it. Answers whether it wrote. A write that moves the order to another status feeds the pickup KPIs. Every
/// change states the refund's state (<see cref="OrderStatusChange.Refund"/>); one that is outstanding is watched for ops
/// (<see cref="IRefundWatch"/>): the watch is written before the order says so and cleared after it no longer does.
/// </summary>
public sealed class SetOrderStatus(IOrderStore orders, InsightsCounters insights, IRefundWatch refunds) : TaskActivity<OrderStatusChange, bool>
{
    public const string Name = nameof(SetOrderStatus);

    private const int ConflictRetries = 8;

    public override Task<bool> RunAsync(TaskActivityContext context, OrderStatusChange input) => ExecuteAsync(input, CancellationToken.None);

    /// <summary>The activity's work, for hosts that call it from a function-based trigger.</summary>
    public async Task<bool> ExecuteAsync(OrderStatusChange input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        for (var attempt = 1; ; attempt++)
        {
            var stored = await orders.GetAsync(input.OrderId, cancellationToken)
                ?? throw new InvalidOperationException($"Order {input.OrderId} does not exist; it must be stored before its workflow starts.");
            var order = stored.Value;
            var before = order.Status;
            var refundBefore = order.RefundState;
            if ((order.Status.IsFinished() && order.Status != input.Status) || !Apply(order, input))
            {
                return false;
            }

            if (order.RefundState != RefundState.None)
            {
                await refunds.WatchAsync(new RefundWatchEntry(order.Id, order.StoreId, order.RefundState, input.Reason, order.RefundStateSince ?? input.At), cancellationToken);
            }

            try
            {
                await orders.SaveAsync(order, stored.ETag, cancellationToken);
                if (refundBefore != RefundState.None && order.RefundState == RefundState.None)
                {
                    await refunds.ForgetAsync(order.Id, cancellationToken);
                }

                if (before != order.Status)
                {
                    // Once per status: a repeat of this step finds the status written and writes (and counts) nothing.
                    await insights.OrderStatusChangedAsync(order, input.At, cancellationToken);
                }

                return true;
            }
            catch (StorageConflictException) when (attempt < ConflictRetries)
            {
                // The API or another step changed the order meanwhile.
            }
        }
    }

    /// <summary>Changes the order; answers false when it already says all this.</summary>
    private static bool Apply(PickupOrder order, OrderStatusChange change)
    {
        var unchanged = order.Status == change.Status
            && order.StatusReason == change.Reason
            && (change.PickDueAt is null || order.PickDueAt == change.PickDueAt)
            && (change.ReadyAt is null || order.ReadyAt == change.ReadyAt)
            && (change.CollectBy is null || order.CollectBy == change.CollectBy)
            && (change.ArrivedAt is null || order.ArrivedAt == change.ArrivedAt)
            && (!change.Escalated || order.Escalated)
            && order.RefundState == change.Refund;
        if (unchanged)
        {
            return false;
        }

        order.Status = change.Status;
        order.StatusReason = change.Reason;
        order.UpdatedAt = change.At;
        order.PickDueAt = change.PickDueAt ?? order.PickDueAt;
        order.ReadyAt = change.ReadyAt ?? order.ReadyAt;
        order.CollectBy = change.CollectBy ?? order.CollectBy;
        order.ArrivedAt = change.ArrivedAt ?? order.ArrivedAt;
        order.Escalated |= change.Escalated;
        if (order.RefundState != change.Refund)
        {
            order.RefundStateSince = change.Refund == RefundState.None ? null : change.At;
            order.RefundState = change.Refund;
        }

        return true;
    }
}

/// <summary>
/// A step of the workflow as the order document shows it. <see cref="At"/> is the orchestration's time; the optional
/// fields change only when given.
/// </summary>
public sealed record OrderStatusChange(string OrderId, OrderStatus Status, string Reason, DateTimeOffset At)
{
    public DateTimeOffset? PickDueAt { get; init; }

    public DateTimeOffset? ReadyAt { get; init; }

    public DateTimeOffset? CollectBy { get; init; }

    public bool Escalated { get; init; }

    /// <summary>The customer's arrival at the store (<see cref="PickupOrder.ArrivedAt"/>).</summary>
    public DateTimeOffset? ArrivedAt { get; init; }

    /// <summary>The refund's state as of this step: outstanding while pending or needing attention, else none.</summary>
    public RefundState Refund { get; init; }
}
