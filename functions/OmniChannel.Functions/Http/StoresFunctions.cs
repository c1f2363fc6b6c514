using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OmniChannel.Api;

namespace OmniChannel.Functions.Http;

public sealed class StoresFunctions(StoresApi api)
{
    [Function(nameof(ListStores))]
    public Task<IResult> ListStores(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Stores)] HttpRequest request,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.ListAsync(cancellationToken);

    [Function(nameof(GetStore))]
    public Task<IResult> GetStore(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Store)] HttpRequest request,
        string storeId,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.GetAsync(storeId, cancellationToken);

    [Function(nameof(GetStoreInventory))]
    public Task<IResult> GetStoreInventory(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.StoreInventory)] HttpRequest request,
        string storeId,
        string sku,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.GetInventoryAsync(storeId, sku, cancellationToken);

    [Function(nameof(GetStoreOrders))]
    public Task<IResult> GetStoreOrders(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.StoreOrders)] HttpRequest request,
        string storeId,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.GetOrdersAsync(storeId, request, cancellationToken);
}
