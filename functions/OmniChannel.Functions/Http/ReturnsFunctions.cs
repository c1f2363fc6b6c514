using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OmniChannel.Api;

namespace OmniChannel.Functions.Http;

public sealed class ReturnsFunctions(ReturnsApi api)
{
    [Function(nameof(StoreReturn))]
    public Task<IResult> StoreReturn(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.StoreReturns)] HttpRequest request,
        string storeId,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.ReturnAsync(storeId, request, cancellationToken);
}
