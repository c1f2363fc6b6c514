using System.Collections.Frozen;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OmniChannel.Core.Insights;

/// <summary>
/// The KPI counters as OpenTelemetry metrics, beside the daily counters the insights store keeps: one counter per
/// <see cref="InsightMetric"/> name (<c>omnichannel.</c> + the name; a per-thing counter's subject as the tag
/// <c>omnichannel.subject</c>) and, for a timed metric, a histogram of its durations in seconds.
/// </summary>
public static class KpiMeter
{
    public const string Name = "OmniChannel";

    public const string SubjectTag = "omnichannel.subject";

    private static readonly Meter Meter = new(Name);

    private static readonly FrozenDictionary<string, Counter<long>> Counters = InsightMetric.AllNames
        .ToFrozenDictionary(name => name, name => Meter.CreateCounter<long>(InstrumentName(name)), StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, Histogram<double>> Durations = InsightMetric.TimedNames
        .ToFrozenDictionary(name => name, name => Meter.CreateHistogram<double>(InstrumentName(name) + ".duration", unit: "s"), StringComparer.Ordinal);

    public static string InstrumentName(string metricName) => "omnichannel." + metricName;

    public static void Record(InsightSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var tags = sample.Metric.Subject is { } subject ? new TagList { { SubjectTag, subject } } : default;
        if (Counters.TryGetValue(sample.Metric.Name, out var counter))
        {
            counter.Add(sample.Count, tags);
        }

        if (sample.Duration is { } duration && Durations.TryGetValue(sample.Metric.Name, out var histogram))
        {
            histogram.Record(duration.TotalSeconds, tags);
        }
    }
}
