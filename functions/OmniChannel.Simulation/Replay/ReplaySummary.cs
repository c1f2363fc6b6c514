using System.Globalization;
using System.Text;

namespace OmniChannel.Simulation.Replay;

/// <summary>What a replay did; <see cref="ToString"/> renders it as a short report for a terminal.</summary>
public sealed record ReplaySummary
{
    /// <summary>Where the events went (<c>{BaseUrl}/api/events</c>).</summary>
    public required Uri Target { get; init; }

    /// <summary>Events whose request was sent at least once.</summary>
    public required long EventsSent { get; init; }

    public required long EventsAccepted { get; init; }

    /// <summary>Events of requests answered 4xx (other than 429): the server read them and said no.</summary>
    public required long EventsRejected { get; init; }

    /// <summary>Events not delivered: network errors, 5xx other than 503, retries exhausted, or given up on cancellation.</summary>
    public required long EventsFailed { get; init; }

    /// <summary>Requests sent, each counted once however often it was retried.</summary>
    public required long Requests { get; init; }

    /// <summary>Re-sends after a 429 or 503 answer: the server's back-pressure, not failures.</summary>
    public required long Retries { get; init; }

    /// <summary>Re-sends after a network error or timeout.</summary>
    public required long NetworkRetries { get; init; }

    public required TimeSpan Duration { get; init; }

    /// <summary>Per HTTP attempt that got an answer, measured with <see cref="System.Diagnostics.Stopwatch"/>; 0 when there was none.</summary>
    public required double LatencyP50Milliseconds { get; init; }

    public required double LatencyP90Milliseconds { get; init; }

    public required double LatencyP99Milliseconds { get; init; }

    public required double LatencyMaxMilliseconds { get; init; }

    /// <summary>
    /// Every answered attempt's latency (<see cref="LatencyPercentiles.Histogram"/>): runs that span several replays (a
    /// soak) add them up and take percentiles over all of them.
    /// </summary>
    public HdrHistogram.HistogramBase LatencyHistogram { get; init; } = LatencyPercentiles.Histogram();

    /// <summary>The first few rejected requests with their problem bodies.</summary>
    public required IReadOnlyList<ReplayRejection> Rejections { get; init; }

    /// <summary>The first few failures, described (e.g. "connection refused (10 attempts)").</summary>
    public required IReadOnlyList<string> Failures { get; init; }

    /// <summary>The replay was stopped by its cancellation token before the last event was sent.</summary>
    public required bool Cancelled { get; init; }

    /// <summary>Accepted events per second over the whole replay.</summary>
    public double AcceptedPerSecond => Duration > TimeSpan.Zero ? EventsAccepted / Duration.TotalSeconds : 0;

    /// <summary>Nothing was rejected and nothing failed.</summary>
    public bool Succeeded => EventsRejected == 0 && EventsFailed == 0;

    public override string ToString()
    {
        var culture = CultureInfo.InvariantCulture;
        var report = new StringBuilder();
        report.Append(culture, $"Replay {(Cancelled ? "cancelled" : "finished")}: {EventsSent:N0} events sent to {Target} in {Duration.TotalSeconds:0.0} s").AppendLine();
        report.Append(culture, $"  accepted  {EventsAccepted,10:N0}   {AcceptedPerSecond:N1} events/s").AppendLine();
        report.Append(culture, $"  rejected  {EventsRejected,10:N0}").AppendLine();
        report.Append(culture, $"  failed    {EventsFailed,10:N0}").AppendLine();
        report.Append(culture, $"  requests  {Requests,10:N0}   retries after 429/503: {Retries:N0}, after network errors: {NetworkRetries:N0}").AppendLine();
        report.Append(culture, $"  latency   p50 {LatencyP50Milliseconds:0.0} ms, p90 {LatencyP90Milliseconds:0.0} ms, p99 {LatencyP99Milliseconds:0.0} ms, max {LatencyMaxMilliseconds:0.0} ms").AppendLine();
        foreach (var rejection in Rejections)
        {
            report.Append(culture, $"  rejected {rejection.StatusCode} ({rejection.Events:N0} events): {rejection.Body}").AppendLine();
        }

        foreach (var failure in Failures)
        {
            report.Append(culture, $"  failed: {failure}").AppendLine();
        }

        return report.ToString().TrimEnd();
    }
}
