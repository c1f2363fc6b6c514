using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using OmniChannel.Api;

namespace OmniChannel.Functions.Http;

public sealed class ReturnsFunctions(ReturnsApi api)
{
    [Function(nameof(StoreReturn))]
    public Task<IResult> StoreReturn(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.StoreReturns)] HttpRequest request,
        string storeId,
        CancellationToken cancellationToken) =>
        api.ReturnAsync(storeId, request, cancellationToken);
}
