using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OmniChannel.Api;

namespace OmniChannel.Functions.Http;

/// <summary>Operations on dead-lettered events, parked batches and the tracking plan: admin routes (the admin key; ApiAccessCheck).</summary>
public sealed class AdminFunctions(AdminApi api)
{
    [Function(nameof(ListDeadLetters))]
    public Task<IResult> ListDeadLetters(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.AdminDeadLetters)] HttpRequest request,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.ListDeadLettersAsync(request, cancellationToken);

    [Function(nameof(ReplayDeadLetters))]
    public Task<IResult> ReplayDeadLetters(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.AdminDeadLettersReplay)] HttpRequest request,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.ReplayDeadLettersAsync(request, cancellationToken);

    [Function(nameof(ListParked))]
    public Task<IResult> ListParked(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.AdminParked)] HttpRequest request,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.ListParkedAsync(request, cancellationToken);

    [Function(nameof(ReplayParked))]
    public Task<IResult> ReplayParked(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.AdminParkedReplay)] HttpRequest request,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.ReplayParkedAsync(request, cancellationToken);

    [Function(nameof(ListViolations))]
    public Task<IResult> ListViolations(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.OperationsViolations)] HttpRequest request,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.ListViolationsAsync(request, cancellationToken);

    [Function(nameof(ListRefunds))]
    public Task<IResult> ListRefunds(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.OperationsRefunds)] HttpRequest request,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.ListRefundsAsync(request, cancellationToken);

    [Function(nameof(ListCouponConflicts))]
    public Task<IResult> ListCouponConflicts(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.OperationsCouponConflicts)] HttpRequest request,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.ListCouponConflictsAsync(request, cancellationToken);
}
