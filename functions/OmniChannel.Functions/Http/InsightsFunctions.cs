using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OmniChannel.Api;

namespace OmniChannel.Functions.Http;

/// <summary>The KPI summary: an admin route (the admin key, or a console role; ApiAccessCheck), like the other marketing and ops routes.</summary>
public sealed class InsightsFunctions(InsightsApi api)
{
    [Function(nameof(GetInsightsSummary))]
    public Task<IResult> GetInsightsSummary(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.InsightsSummary)] HttpRequest request,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.SummaryAsync(request, cancellationToken);
}
