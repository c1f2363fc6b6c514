using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using OmniChannel.Api;

namespace OmniChannel.Functions.Http;

public sealed class OrdersFunctions(OrdersApi api)
{
    [Function(nameof(PlaceOrder))]
    public Task<IResult> PlaceOrder(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.Orders)] HttpRequest request,
        CancellationToken cancellationToken) =>
        api.PlaceAsync(request, cancellationToken);

    [Function(nameof(GetOrder))]
    public Task<IResult> GetOrder(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Order)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        api.GetAsync(id, cancellationToken);

    [Function(nameof(CancelOrder))]
    public Task<IResult> CancelOrder(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.OrderCancel)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        api.CancelAsync(id, cancellationToken);

    [Function(nameof(OrderPicked))]
    public Task<IResult> OrderPicked(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.StoreOrderPicked)] HttpRequest request,
        string storeId,
        string id,
        CancellationToken cancellationToken) =>
        api.PickedAsync(storeId, id, cancellationToken);

    [Function(nameof(OrderCollected))]
    public Task<IResult> OrderCollected(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.StoreOrderCollected)] HttpRequest request,
        string storeId,
        string id,
        CancellationToken cancellationToken) =>
        api.CollectedAsync(storeId, id, cancellationToken);
}
