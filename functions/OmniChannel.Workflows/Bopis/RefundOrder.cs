using Microsoft.DurableTask;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;

namespace OmniChannel.Workflows.Bopis;

/// <summary>
/// Refunds a part of the order once: the refund id is <c>{orderId}:{kind}</c> (<see cref="RefundKinds"/>), and payment
/// providers are idempotent by it. The amount comes from the order (<see cref="PickupOrder.RefundDue"/>): the short units
/// of a partial pick, or what is left of the total (the whole order when nothing was refunded before). The refund is
/// recorded on the order afterwards, which is what later refunds are counted against.
/// </summary>
public sealed class RefundOrder(IOrderStore orders, IPaymentGateway payments) : TaskActivity<RefundRequest, RefundReceipt>
{
    public const string Name = nameof(RefundOrder);

    public static string RefundIdFor(string orderId) => RefundIdFor(orderId, null);

    public static string RefundIdFor(string orderId, string? kind) => $"{orderId}:{kind ?? RefundKinds.Remainder}";

    public override Task<RefundReceipt> RunAsync(TaskActivityContext context, RefundRequest input) => ExecuteAsync(input, CancellationToken.None);

    /// <summary>The activity's work, for hosts that call it from a function-based trigger.</summary>
    public async Task<RefundReceipt> ExecuteAsync(RefundRequest input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var order = await orders.RequireAsync(input.OrderId, cancellationToken);
        var refundId = RefundIdFor(order.Id, input.Kind);
        var receipt = new RefundReceipt(refundId, order.RefundDue(refundId));
        var status = await payments.RefundAsync(receipt.RefundId, order.Id, order.PaymentReference, receipt.Amount, input.Reason, cancellationToken);

        await orders.RecordRefundAsync(order.Id, receipt.RefundId, receipt.Amount, cancellationToken);
        return receipt with { Settled = status == RefundStatus.Settled };
    }
}

/// <param name="Kind">Which part (<see cref="RefundKinds"/>); null: the remainder, as before partial picks.</param>
public sealed record RefundRequest(string OrderId, string Reason, string? Kind = null);

/// <param name="Settled">
/// False while the payment service has accepted the refund but not yet confirmed it (its signed callback). True in the
/// receipts of instances that ran before confirmations existed (the field is missing there), so they replay unchanged.
/// </param>
public sealed record RefundReceipt(string RefundId, decimal Amount, bool Settled = true);
