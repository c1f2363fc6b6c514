namespace OmniChannel.Core.Orders;

/// <summary>Where a pickup order stands.</summary>
public enum OrderStatus
{
    /// <summary>Accepted; the workflow is reserving stock.</summary>
    Placed,

    /// <summary>Stock is held at the store; the store has a pick task.</summary>
    Reserved,

    /// <summary>Picked and waiting at the store; the customer was told.</summary>
    Ready,

    Collected,

    /// <summary>Nobody came before the pickup window closed: stock released, refund issued.</summary>
    Expired,

    Cancelled,

    /// <summary>The store could not hold every line (stock ran out meanwhile).</summary>
    Rejected,
}

public static class OrderStatusExtensions
{
    /// <summary>Whether the order has ended: nothing waits for the store or the customer any more.</summary>
    public static bool IsFinished(this OrderStatus status) =>
        status is OrderStatus.Collected or OrderStatus.Expired or OrderStatus.Cancelled or OrderStatus.Rejected;
}
