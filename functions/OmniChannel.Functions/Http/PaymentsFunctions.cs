using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OmniChannel.Api;

namespace OmniChannel.Functions.Http;

/// <summary>
/// The payment service's signed refund callbacks. No key: the handler checks the Standard Webhooks signature (the access
/// check lets exactly this route through for that), then raises the word into the order's workflow.
/// </summary>
public sealed class PaymentsFunctions(PaymentsApi api)
{
    [Function(nameof(PaymentRefundEvent))]
    public Task<IResult> PaymentRefundEvent(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.PaymentRefundEvents)] HttpRequest request,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.RefundEventAsync(request, cancellationToken);
}
