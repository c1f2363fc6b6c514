using OmniChannel.Core.Events;

namespace OmniChannel.Core.Orders;

/// <summary>A buy-online-pickup-in-store order (Cosmos <c>orders</c> container, partitioned by id).</summary>
public sealed class PickupOrder
{
    public required string Id { get; set; }

    public required string CustomerId { get; set; }

    public required string StoreId { get; set; }

    public required List<OrderLine> Lines { get; set; }

    public decimal Total => Lines.Sum(line => line.Price * line.Quantity);

    public DateTimeOffset PlacedAt { get; set; }

    public OrderStatus Status { get; set; }

    /// <summary>Why the order is where it is, in words a store associate or customer understands.</summary>
    public string? StatusReason { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When the store marked it picked (for the pickup SLA).</summary>
    public DateTimeOffset? ReadyAt { get; set; }

    /// <summary>The pick must be done by then (the SLA), shown to associates as a countdown.</summary>
    public DateTimeOffset? PickDueAt { get; set; }

    /// <summary>The customer must collect by then, or the order expires.</summary>
    public DateTimeOffset? CollectBy { get; set; }

    public bool Escalated { get; set; }

    /// <summary>Units of the collected order brought back to a store, each under its return id (see <see cref="ReturnService"/>).</summary>
    public List<OrderReturn> Returns { get; set; } = [];

    /// <summary>When the customer said they were at the store to collect it (<c>arrived</c>, while ready); null until then.</summary>
    public DateTimeOffset? ArrivedAt { get; set; }

    /// <summary>
    /// The associate's pick where it was not in full: one entry per ordered SKU picked short or substituted, recorded
    /// before any stock moves for it (see <see cref="PickService"/>); empty for an order picked in full or not yet picked.
    /// </summary>
    public List<PickedLine> PickAdjustments { get; set; } = [];

    /// <summary>
    /// Per ordered SKU: ordered, picked, short, substitute and substituted units, once the store has picked (the order
    /// became ready, or the pick was recorded); null before, so nobody reads an order waiting for its pick as picked.
    /// </summary>
    public IReadOnlyList<OrderLinePick>? Picking => ReadyAt is null && PickAdjustments.Count == 0 ? null : OrderPick.Lines(this);

    /// <summary>What the short units are worth: the partial refund of the pick.</summary>
    public decimal ShortAmount => OrderPick.Lines(this).Sum(line => line.ShortAmount);

    /// <summary>The refunds made for the order by the workflow, by refund id (<c>{orderId}:short</c>, <c>{orderId}:refund</c>) → amount.</summary>
    public Dictionary<string, decimal> Refunds { get; set; } = [];

    /// <summary>Refunded so far: the workflow's refunds and the completed returns in store.</summary>
    public decimal Refunded => Refunds.Values.Sum() + Returns.Where(record => record.Status == ReturnStatus.Completed).Sum(record => record.AmountRefunded);

    /// <summary>
    /// What a refund under <paramref name="refundId"/> pays: the amount recorded under it, when it was made before (a retry);
    /// else the short units for <c>{orderId}:short</c>, and for any other (the compensation) what is left of the total after
    /// the other refunds — so no unit is refunded twice and the refunds never add up to more than was paid.
    /// </summary>
    public decimal RefundDue(string refundId)
    {
        if (Refunds.TryGetValue(refundId, out var recorded))
        {
            return recorded;
        }

        return refundId == $"{Id}:{RefundKinds.Short}"
            ? ShortAmount
            : Math.Max(0m, Total - Refunds.Values.Sum());
    }

    /// <summary>The payment the order was paid with at the payment service (its reference there); refunds name it. Null for orders placed without one.</summary>
    public string? PaymentReference { get; set; }

    /// <summary>Whether money is still on its way back (a refund pending or needing attention), and since when.</summary>
    public RefundState RefundState { get; set; }

    public DateTimeOffset? RefundStateSince { get; set; }

    /// <summary>The orchestration instance that runs this order.</summary>
    public string WorkflowInstanceId => BopisWorkflow.InstanceIdFor(Id);
}
