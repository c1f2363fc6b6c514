using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OmniChannel.Api;
using OmniChannel.Functions.Workflows;

namespace OmniChannel.Functions.Http;

public sealed class OrdersFunctions(OrdersApi api)
{
    [Function(nameof(PlaceOrder))]
    public async Task<IResult> PlaceOrder(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Orders)] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        using var lease = FunctionsWorkflowClient.Use(durable);
        return await api.PlaceAsync(request, cancellationToken);
    }

    [Function(nameof(GetOrder))]
    public async Task<IResult> GetOrder(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Order)] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        using var lease = FunctionsWorkflowClient.Use(durable);
        return await api.GetAsync(id, cancellationToken);
    }

    [Function(nameof(CancelOrder))]
    public async Task<IResult> CancelOrder(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.OrderCancel)] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        using var lease = FunctionsWorkflowClient.Use(durable);
        return await api.CancelAsync(id, cancellationToken);
    }

    [Function(nameof(OrderArrived))]
    public async Task<IResult> OrderArrived(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.OrderArrived)] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        using var lease = FunctionsWorkflowClient.Use(durable);
        return await api.ArrivedAsync(id, cancellationToken);
    }

    [Function(nameof(OrderPicked))]
    public async Task<IResult> OrderPicked(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.StoreOrderPicked)] HttpRequest request,
        string storeId,
        string id,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        using var lease = FunctionsWorkflowClient.Use(durable);
        return await api.PickedAsync(request, storeId, id, cancellationToken);
    }

    [Function(nameof(PickOrder))]
    public async Task<IResult> PickOrder(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.OrderPicked)] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        using var lease = FunctionsWorkflowClient.Use(durable);
        return await api.PickedAsync(request, null, id, cancellationToken);
    }

    [Function(nameof(OrderCollected))]
    public async Task<IResult> OrderCollected(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.StoreOrderCollected)] HttpRequest request,
        string storeId,
        string id,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        using var lease = FunctionsWorkflowClient.Use(durable);
        return await api.CollectedAsync(storeId, id, cancellationToken);
    }
}
