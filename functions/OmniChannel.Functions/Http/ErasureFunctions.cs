using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OmniChannel.Api;

namespace OmniChannel.Functions.Http;

public sealed class ErasureFunctions(ErasureApi api)
{
    [Function(nameof(EraseCustomer))]
    public Task<IResult> EraseCustomer(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ApiRoutes.Customer)] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.EraseAsync(id, cancellationToken);
}
