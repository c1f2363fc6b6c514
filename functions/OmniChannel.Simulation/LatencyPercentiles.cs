using System.Globalization;

namespace OmniChannel.Simulation;

/// <summary>
/// Nearest-rank percentiles of some latencies, in milliseconds; all 0 when there were none. <see cref="Percentile"/>
/// serves the traffic replayer and the soak too; the text form counts orders, for the BOPIS load run.
/// </summary>
public sealed record LatencyPercentiles(int Count, double P50Milliseconds, double P90Milliseconds, double P99Milliseconds, double MaxMilliseconds)
{
    public static LatencyPercentiles Empty { get; } = new(0, 0, 0, 0, 0);

    public static LatencyPercentiles From(IEnumerable<TimeSpan> latencies)
    {
        ArgumentNullException.ThrowIfNull(latencies);
        var sorted = latencies.Select(latency => latency.TotalMilliseconds).Order().ToArray();
        return sorted.Length == 0
            ? Empty
            : new LatencyPercentiles(sorted.Length, Percentile(sorted, 0.50), Percentile(sorted, 0.90), Percentile(sorted, 0.99), sorted[^1]);
    }

    public override string ToString() => Count == 0
        ? "no orders"
        : string.Create(CultureInfo.InvariantCulture, $"p50 {P50Milliseconds:N0} ms, p90 {P90Milliseconds:N0} ms, p99 {P99Milliseconds:N0} ms, max {MaxMilliseconds:N0} ms ({Count:N0} orders)");

    /// <summary>Nearest-rank percentile of sorted latencies (0 when there are none): a latency that really happened, not an interpolation.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double fraction)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        return sorted.Count == 0 ? 0 : sorted[Math.Max(0, (int)Math.Ceiling(fraction * sorted.Count) - 1)];
    }
}
