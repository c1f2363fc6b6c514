namespace OmniChannel.Core.Ports;

/// <summary>The payment provider. A refund is idempotent by its id, as providers' idempotency keys are.</summary>
public interface IPaymentGateway
{
    Task RefundAsync(string refundId, string orderId, decimal amount, string reason, CancellationToken cancellationToken);
}
