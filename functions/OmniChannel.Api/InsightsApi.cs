using Microsoft.AspNetCore.Http;
using OmniChannel.Core.Insights;

namespace OmniChannel.Api;

/// <summary>The KPI summary for marketing and ops leads (admin): <c>?from=&amp;to=</c>, UTC days, both inclusive.</summary>
public sealed class InsightsApi(InsightsService insights)
{
    public async Task<IResult> SummaryAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (period, error) = insights.ParsePeriod(request.Query["from"].ToString(), request.Query["to"].ToString());
        return period is { } asked
            ? TypedResults.Ok(await insights.SummarizeAsync(asked, cancellationToken))
            : Problems.InvalidParameter(error!.Field, error.Message);
    }
}
