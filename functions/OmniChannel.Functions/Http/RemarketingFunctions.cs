using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OmniChannel.Api;

namespace OmniChannel.Functions.Http;

/// <summary>Marketing's remarketing rules: admin routes (the admin key, or the console's marketing role; ApiAccessCheck).</summary>
public sealed class RemarketingFunctions(RemarketingApi api)
{
    [Function(nameof(ListRemarketingRules))]
    public Task<IResult> ListRemarketingRules(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.RemarketingRules)] HttpRequest request,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.ListAsync(cancellationToken);

    [Function(nameof(GetRemarketingRule))]
    public Task<IResult> GetRemarketingRule(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.RemarketingRule)] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.GetAsync(id, request.HttpContext.Response, cancellationToken);

    [Function(nameof(PutRemarketingRule))]
    public Task<IResult> PutRemarketingRule(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = ApiRoutes.RemarketingRule)] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.PutAsync(id, request, cancellationToken);

    [Function(nameof(DeleteRemarketingRule))]
    public Task<IResult> DeleteRemarketingRule(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ApiRoutes.RemarketingRule)] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.DeleteAsync(id, request, cancellationToken);

    [Function(nameof(SimulateRemarketingRule))]
    public Task<IResult> SimulateRemarketingRule(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.RemarketingRuleSimulate)] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.SimulateAsync(id, request, cancellationToken);
}
