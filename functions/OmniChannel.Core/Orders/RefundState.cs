namespace OmniChannel.Core.Orders;

/// <summary>Whether an order's money is still on its way back to the customer.</summary>
public enum RefundState
{
    /// <summary>Nothing outstanding: no refund, or every refund made and confirmed.</summary>
    None,

    /// <summary>The payment service is down or has not confirmed yet; the workflow asks again on a durable timer.</summary>
    Pending,

    /// <summary>The payment service refused the refund, or never confirmed it in time: a person must look.</summary>
    NeedsAttention,
}
