namespace OmniChannel.Core.Orders;

/// <summary>The parts of a pickup order the workflow refunds, each once: the refund id is <c>{orderId}:{kind}</c>.</summary>
public static class RefundKinds
{
    /// <summary>The short units of a partial pick.</summary>
    public const string Short = "short";

    /// <summary>What is left of the order when it ends without collection (expiry, cancellation): the whole order unless part was refunded before.</summary>
    public const string Remainder = "refund";
}
