using OmniChannel.Core.Insights;

namespace OmniChannel.Core.Ports;

/// <summary>Adds samples to the daily KPI counters behind <c>GET /api/insights/summary</c>.</summary>
public interface IInsightsRecorder
{
    /// <summary>Adds every sample to its day's counter; samples of one counter add up. Safe to call concurrently.</summary>
    Task RecordAsync(IReadOnlyList<InsightSample> samples, CancellationToken cancellationToken);
}
