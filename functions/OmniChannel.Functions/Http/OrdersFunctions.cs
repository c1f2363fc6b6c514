using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OmniChannel.Api;

namespace OmniChannel.Functions.Http;

public sealed class OrdersFunctions(OrdersApi api)
{
    [Function(nameof(PlaceOrder))]
    public Task<IResult> PlaceOrder(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Orders)] HttpRequest request,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.PlaceAsync(request, cancellationToken);

    [Function(nameof(GetOrder))]
    public Task<IResult> GetOrder(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Order)] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.GetAsync(id, cancellationToken);

    [Function(nameof(CancelOrder))]
    public Task<IResult> CancelOrder(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.OrderCancel)] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.CancelAsync(id, cancellationToken);

    [Function(nameof(OrderArrived))]
    public Task<IResult> OrderArrived(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.OrderArrived)] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.ArrivedAsync(id, cancellationToken);

    [Function(nameof(OrderPicked))]
    public Task<IResult> OrderPicked(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.StoreOrderPicked)] HttpRequest request,
        string storeId,
        string id,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.PickedAsync(request, storeId, id, cancellationToken);

    [Function(nameof(PickOrder))]
    public Task<IResult> PickOrder(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.OrderPicked)] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.PickedAsync(request, null, id, cancellationToken);

    [Function(nameof(OrderCollected))]
    public Task<IResult> OrderCollected(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.StoreOrderCollected)] HttpRequest request,
        string storeId,
        string id,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.CollectedAsync(storeId, id, cancellationToken);
}
