namespace OmniChannel.Simulation.Replay;

/// <summary>How <see cref="TrafficReplayer"/> sends a day's events to a backbone.</summary>
/// <param name="BaseUrl">The backbone's base address; events go to <c>{BaseUrl}/api/events</c>.</param>
public sealed record ReplayOptions(Uri BaseUrl)
{
    /// <summary>
    /// Events per request. 1 sends each event structured (<c>application/cloudevents+json</c>); more sends batches
    /// (<c>application/cloudevents-batch+json</c>), the last one possibly shorter.
    /// </summary>
    public int BatchSize { get; init; } = 50;

    /// <summary>At most this many requests in flight at once (a request waiting to retry counts as in flight).</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>Target rate in events per second; 0 sends as fast as the concurrency and the server allow.</summary>
    public double EventsPerSecond { get; init; }

    /// <summary>Stop after this many events (the earliest of the day); null replays the whole day.</summary>
    public long? MaxEvents { get; init; }

    /// <summary>Sent as the <c>x-api-key</c> header of every request when set.</summary>
    public string? ApiKey { get; init; }

    /// <summary>
    /// Attempts per request, the first one included, before its events count as failed. Applies to 429/503 answers
    /// and to network errors alike, so a server that stays overloaded cannot stall the replay for ever.
    /// </summary>
    public int MaxAttempts { get; init; } = 10;

    /// <summary>The wait before a retry when a 429/503 has no usable <c>Retry-After</c>, and the first wait after a network error.</summary>
    public TimeSpan DefaultRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait before a retry, whatever <c>Retry-After</c> says (a far-off HTTP date should not park a request for hours).</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often progress is reported.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How many rejection bodies (and failure descriptions) the summary keeps; the first ones usually explain the rest.</summary>
    public int KeptRejections { get; init; } = 3;
}
