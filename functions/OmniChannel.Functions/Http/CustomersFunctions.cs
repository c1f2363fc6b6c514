using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OmniChannel.Api;

namespace OmniChannel.Functions.Http;

public sealed class CustomersFunctions(CustomersApi api)
{
    [Function(nameof(GetCustomer))]
    public Task<IResult> GetCustomer(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Customer)] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.GetAsync(id, cancellationToken);

    [Function(nameof(GetCustomerEvents))]
    public Task<IResult> GetCustomerEvents(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.CustomerEvents)] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.GetEventsAsync(id, request, cancellationToken);

    [Function(nameof(GetCustomerMerges))]
    public Task<IResult> GetCustomerMerges(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.CustomerMerges)] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.GetMergesAsync(id, cancellationToken);

    [Function(nameof(UndoCustomerMerge))]
    public Task<IResult> UndoCustomerMerge(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.CustomerMergeUndo)] HttpRequest request,
        string id,
        string mergeId,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.UndoMergeAsync(id, mergeId, cancellationToken);
}
