using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using OmniChannel.Core.Handoffs;
using OmniChannel.Core.Ports;

namespace OmniChannel.Azure.Webhooks;

/// <summary>
/// Asks the payment service for a refund with an <c>omni.payment.refund.requested</c> CloudEvent (refund id, order,
/// payment reference, amount, currency, reason). The service is idempotent by the refund id (<c>webhook-id</c>
/// <c>msg_refund_{refundId}</c>, the same on every ask). A 2xx means accepted, not settled: the service confirms with a
/// signed <c>omni.payment.refund.succeeded</c> or <c>.failed</c> callback (POST /api/payments/refunds/events).
/// </summary>
public sealed class WebhookPaymentGateway(WebhookHandoff handoff, IOptions<HandoffOptions> options) : IPaymentGateway
{
    public const string EventType = "omni.payment.refund.requested";
    public static readonly Uri Source = new("/omnichannel/payments", UriKind.Relative);

    public async Task<RefundStatus> RefundAsync(string refundId, string orderId, string? paymentReference, decimal amount, string reason, CancellationToken cancellationToken)
    {
        var payments = options.Value.Payments;
        var cloudEvent = WebhookHandoff.Event(refundId, Source, EventType, orderId, handoff.Clock.GetUtcNow(), new JsonObject
        {
            ["refundId"] = refundId,
            ["orderId"] = orderId,
            ["paymentReference"] = paymentReference,
            ["amount"] = amount.ToString(CultureInfo.InvariantCulture),
            ["currency"] = payments.Currency,
            ["reason"] = reason,
        });
        await handoff.PostAsync("The payment service", payments, nameof(HandoffOptions.Payments), MessageId(refundId), cloudEvent, cancellationToken);
        return RefundStatus.AwaitingConfirmation;
    }

    public static string MessageId(string refundId) => $"msg_refund_{refundId}";
}
