using System.Globalization;
using HdrHistogram;

namespace OmniChannel.Simulation;

/// <summary>
/// Percentiles of some latencies, in milliseconds, read from an HdrHistogram; all 0 when there were none.
/// <see cref="Histogram"/> and <see cref="Record"/> serve the traffic replayer and the soak too; the text form counts
/// orders, for the BOPIS load run.
/// </summary>
/// <remarks>
/// Latencies are recorded in microseconds, from 1 µs to a day, with three significant digits: a percentile is the
/// highest latency its histogram bucket stands for, within 0.1% of one that really happened (never below it), whatever
/// the number of latencies; the memory stays the same (a few hundred kB a histogram).
/// </remarks>
public sealed record LatencyPercentiles(int Count, double P50Milliseconds, double P90Milliseconds, double P99Milliseconds, double MaxMilliseconds)
{
    private const long HighestMicroseconds = 86_400L * 1_000_000;

    private const int SignificantDigits = 3;

    public static LatencyPercentiles Empty { get; } = new(0, 0, 0, 0, 0);

    public static LatencyPercentiles From(IEnumerable<TimeSpan> latencies)
    {
        ArgumentNullException.ThrowIfNull(latencies);
        var histogram = Histogram();
        foreach (var latency in latencies)
        {
            Record(histogram, latency.TotalMilliseconds);
        }

        return From(histogram);
    }

    /// <summary>The percentiles of the latencies recorded in <paramref name="histogram"/>.</summary>
    public static LatencyPercentiles From(HistogramBase histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        return histogram.TotalCount == 0
            ? Empty
            : new LatencyPercentiles(
                (int)Math.Min(histogram.TotalCount, int.MaxValue), Percentile(histogram, 0.50), Percentile(histogram, 0.90), Percentile(histogram, 0.99), Percentile(histogram, 1));
    }

    public override string ToString() => Count == 0
        ? "no orders"
        : string.Create(CultureInfo.InvariantCulture, $"p50 {P50Milliseconds:N0} ms, p90 {P90Milliseconds:N0} ms, p99 {P99Milliseconds:N0} ms, max {MaxMilliseconds:N0} ms ({Count:N0} orders)");

    /// <summary>An empty histogram of latencies: microseconds from 1 to a day, three significant digits.</summary>
    public static LongHistogram Histogram() => new(HighestMicroseconds, SignificantDigits);

    /// <summary>Records one latency in <paramref name="histogram"/> (one from <see cref="Histogram"/>); a longer one than a day counts as a day.</summary>
    public static void Record(HistogramBase histogram, double milliseconds)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        histogram.RecordValue(Math.Clamp((long)Math.Round(milliseconds * 1_000), 0, HighestMicroseconds));
    }

    /// <summary>The latency in milliseconds at <paramref name="fraction"/> (0.99 for p99, 1 for the longest) of <paramref name="histogram"/>; 0 when it is empty.</summary>
    public static double Percentile(HistogramBase histogram, double fraction)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        return histogram.TotalCount == 0 ? 0 : histogram.GetValueAtPercentile(fraction * 100) / 1_000.0;
    }
}
