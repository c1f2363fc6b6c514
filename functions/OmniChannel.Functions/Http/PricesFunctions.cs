using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OmniChannel.Api;
using OmniChannel.Functions.Workflows;

namespace OmniChannel.Functions.Http;

/// <summary>The price routes: changes and the subscriber registry are admin routes (the admin key), reading a price is a channel route.</summary>
public sealed class PricesFunctions(PricesApi api)
{
    [Function(nameof(SubmitPriceChange))]
    public async Task<IResult> SubmitPriceChange(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Prices)] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        using var lease = FunctionsWorkflowClient.Use(durable);
        return await api.SubmitAsync(request, cancellationToken);
    }

    [Function(nameof(GetPrice))]
    public Task<IResult> GetPrice(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Price)] HttpRequest request,
        string sku,
        CancellationToken cancellationToken) =>
        api.PriceAsync(sku, request, cancellationToken);

    [Function(nameof(GetPriceChange))]
    public async Task<IResult> GetPriceChange(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.PriceChange)] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        using var lease = FunctionsWorkflowClient.Use(durable);
        return await api.ReportAsync(id, request, cancellationToken);
    }

    [Function(nameof(RetryPriceChange))]
    public async Task<IResult> RetryPriceChange(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.PriceChangeRetry)] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        using var lease = FunctionsWorkflowClient.Use(durable);
        return await api.RetryAsync(id, cancellationToken);
    }

    [Function(nameof(ListPriceSubscribers))]
    public Task<IResult> ListPriceSubscribers(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.PriceSubscribers)] HttpRequest request,
        CancellationToken cancellationToken) =>
        api.ListSubscribersAsync(cancellationToken);

    [Function(nameof(GetPriceSubscriber))]
    public Task<IResult> GetPriceSubscriber(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.PriceSubscriber)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        api.GetSubscriberAsync(id, cancellationToken);

    [Function(nameof(PutPriceSubscriber))]
    public Task<IResult> PutPriceSubscriber(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = ApiRoutes.PriceSubscriber)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        api.PutSubscriberAsync(id, request, cancellationToken);

    [Function(nameof(DeletePriceSubscriber))]
    public Task<IResult> DeletePriceSubscriber(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ApiRoutes.PriceSubscriber)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        api.DeleteSubscriberAsync(id, cancellationToken);
}
