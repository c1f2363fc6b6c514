using Microsoft.DurableTask;
using OmniChannel.Core.Ports;

namespace OmniChannel.Workflows.Bopis;

/// <summary>Refunds the whole order once: the refund id is derived from the order id, and payment providers are idempotent by it.</summary>
public sealed class RefundOrder(IOrderStore orders, IPaymentGateway payments) : TaskActivity<RefundRequest, RefundReceipt>
{
    public const string Name = nameof(RefundOrder);

    public static string RefundIdFor(string orderId) => $"{orderId}:refund";

    public override Task<RefundReceipt> RunAsync(TaskActivityContext context, RefundRequest input) => ExecuteAsync(input, CancellationToken.None);

    /// <summary>The activity's work, for hosts that call it from a function-based trigger.</summary>
    public async Task<RefundReceipt> ExecuteAsync(RefundRequest input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var order = await orders.RequireAsync(input.OrderId, cancellationToken);
        var receipt = new RefundReceipt(RefundIdFor(order.Id), order.Total);
        var status = await payments.RefundAsync(receipt.RefundId, order.Id, order.PaymentReference, receipt.Amount, input.Reason, cancellationToken);
        return receipt with { Settled = status == RefundStatus.Settled };
    }
}

public sealed record RefundRequest(string OrderId, string Reason);

/// <param name="Settled">
/// False while the payment service has accepted the refund but not yet confirmed it (its signed callback). True in the
/// receipts of instances that ran before confirmations existed (the field is missing there), so they replay unchanged.
/// </param>
public sealed record RefundReceipt(string RefundId, decimal Amount, bool Settled = true);
