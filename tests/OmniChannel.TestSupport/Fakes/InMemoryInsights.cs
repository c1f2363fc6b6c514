using Microsoft.Extensions.Logging.Abstractions;
using OmniChannel.Core.Insights;
using OmniChannel.Core.Ports;

namespace OmniChannel.TestSupport.Fakes;

/// <summary>
/// The KPI counters in memory: keeps every sample as recorded and reads them back summed per day and metric, as the
/// table does. <see cref="FailWith"/> makes recording throw, to show a lost counter does not fail the business step.
/// </summary>
public sealed class InMemoryInsights : IInsightsRecorder, IInsightsReader
{
    private readonly List<InsightSample> _samples = [];
    private readonly Lock _lock = new();

    /// <summary>Thrown by <see cref="RecordAsync"/> when set.</summary>
    public Exception? FailWith { get; set; }

    public IReadOnlyList<InsightSample> Samples
    {
        get
        {
            lock (_lock)
            {
                return [.. _samples];
            }
        }
    }

    /// <summary>The real recording helper over this fake, as the services get it.</summary>
    public InsightsCounters Counters() => new(this, NullLogger<InsightsCounters>.Instance);

    /// <summary>The total of a metric over every day.</summary>
    public long Total(InsightMetric metric) => Samples.Where(sample => sample.Metric == metric).Sum(sample => sample.Count);

    public Task RecordAsync(IReadOnlyList<InsightSample> samples, CancellationToken cancellationToken)
    {
        if (FailWith is { } failure)
        {
            throw failure;
        }

        lock (_lock)
        {
            _samples.AddRange(samples);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<DailyCounter>> ReadAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        IReadOnlyList<DailyCounter> counters = Samples
            .Where(sample => sample.Day >= from && sample.Day <= to)
            .GroupBy(sample => (sample.Day, sample.Metric))
            .Select(row => new DailyCounter(row.Key.Day, row.Key.Metric, row.Sum(sample => sample.Count), DurationHistogram.Of(row)))
            .ToList();
        return Task.FromResult(counters);
    }
}
