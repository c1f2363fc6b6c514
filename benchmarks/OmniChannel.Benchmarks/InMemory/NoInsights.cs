using OmniChannel.Core.Insights;
using OmniChannel.Core.Ports;

namespace OmniChannel.Benchmarks.InMemory;

/// <summary>Drops the KPI samples: the benchmark measures ingest, not the counters' store.</summary>
internal sealed class NoInsights : IInsightsRecorder
{
    public Task RecordAsync(IReadOnlyList<InsightSample> samples, CancellationToken cancellationToken) => Task.CompletedTask;
}
