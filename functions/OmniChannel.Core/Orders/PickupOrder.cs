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

    /// <summary>The payment the order was paid with at the payment service (its reference there); refunds name it. Null for orders placed without one.</summary>
    public string? PaymentReference { get; set; }

    /// <summary>The orchestration instance that runs this order.</summary>
    public string WorkflowInstanceId => BopisWorkflow.InstanceIdFor(Id);
}
