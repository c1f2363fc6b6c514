namespace OmniChannel.Core.Ports;

/// <summary>The payment provider. A refund is idempotent by its id, as providers' idempotency keys are.</summary>
public interface IPaymentGateway
{
    /// <summary>
    /// Asks for a refund of <paramref name="amount"/> against the order's payment (<paramref name="paymentReference"/>,
    /// null for orders placed without one); answers whether it is settled now or awaits the provider's confirmation.
    /// </summary>
    Task<RefundStatus> RefundAsync(string refundId, string orderId, string? paymentReference, decimal amount, string reason, CancellationToken cancellationToken);
}
