using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OmniChannel.Api;
using OmniChannel.Functions.Workflows;

namespace OmniChannel.Functions.Http;

/// <summary>
/// The payment service's signed refund callbacks. No key: the handler checks the Standard Webhooks signature (the access
/// check lets exactly this route through for that), then raises the word into the order's workflow.
/// </summary>
public sealed class PaymentsFunctions(PaymentsApi api)
{
    [Function(nameof(PaymentRefundEvent))]
    public async Task<IResult> PaymentRefundEvent(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.PaymentRefundEvents)] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        using var lease = FunctionsWorkflowClient.Use(durable);
        return await api.RefundEventAsync(request, cancellationToken);
    }
}
