namespace OmniChannel.Simulation.Replay;

/// <summary>A snapshot of a running replay, as <see cref="TrafficReplayer"/> reports it a few times a second.</summary>
/// <param name="Sent">Events whose request has been sent at least once.</param>
/// <param name="Accepted">Events the server accepted (2xx).</param>
/// <param name="Rejected">Events of requests the server rejected (4xx other than 429).</param>
/// <param name="Failed">Events not delivered: network errors, other 5xx answers, or retries exhausted.</param>
/// <param name="Retries">Requests re-sent after a 429 or 503 (back-pressure, not failure).</param>
/// <param name="Elapsed">Time since the replay started.</param>
public sealed record ReplayProgress(long Sent, long Accepted, long Rejected, long Failed, long Retries, TimeSpan Elapsed)
{
    /// <summary>Events answered so far (accepted, rejected or failed).</summary>
    public long Completed => Accepted + Rejected + Failed;

    /// <summary>Accepted events per second so far.</summary>
    public double EventsPerSecond => Elapsed > TimeSpan.Zero ? Accepted / Elapsed.TotalSeconds : 0;
}
