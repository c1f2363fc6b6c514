using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OmniChannel.Api;

namespace OmniChannel.Functions.Http;

/// <summary>The price routes: changes and the subscriber registry are admin routes (the admin key), reading a price is a channel route.</summary>
public sealed class PricesFunctions(PricesApi api)
{
    [Function(nameof(SubmitPriceChange))]
    public Task<IResult> SubmitPriceChange(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Prices)] HttpRequest request,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.SubmitAsync(request, cancellationToken);

    [Function(nameof(GetPrice))]
    public Task<IResult> GetPrice(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Price)] HttpRequest request,
        string sku,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.PriceAsync(sku, request, cancellationToken);

    [Function(nameof(GetPriceChange))]
    public Task<IResult> GetPriceChange(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.PriceChange)] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.ReportAsync(id, request, cancellationToken);

    [Function(nameof(RetryPriceChange))]
    public Task<IResult> RetryPriceChange(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.PriceChangeRetry)] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.RetryAsync(id, cancellationToken);

    [Function(nameof(ListPriceSubscribers))]
    public Task<IResult> ListPriceSubscribers(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.PriceSubscribers)] HttpRequest request,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.ListSubscribersAsync(cancellationToken);

    [Function(nameof(GetPriceSubscriber))]
    public Task<IResult> GetPriceSubscriber(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.PriceSubscriber)] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.GetSubscriberAsync(id, cancellationToken);

    [Function(nameof(PutPriceSubscriber))]
    public Task<IResult> PutPriceSubscriber(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = ApiRoutes.PriceSubscriber)] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.PutSubscriberAsync(id, request, cancellationToken);

    [Function(nameof(DeletePriceSubscriber))]
    public Task<IResult> DeletePriceSubscriber(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ApiRoutes.PriceSubscriber)] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.DeleteSubscriberAsync(id, cancellationToken);
}
