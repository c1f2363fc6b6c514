using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using OmniChannel.Core.Events;

namespace OmniChannel.Simulation.Replay;

/// <summary>
/// Replays a day of events (typically <see cref="OmniDaySimulator.Generate"/>) against a backbone's
/// <c>POST {BaseUrl}/api/events</c>: in the order given (the simulator's is time order), grouped into requests of
/// <see cref="ReplayOptions.BatchSize"/> events, with at most <see cref="ReplayOptions.Concurrency"/> requests in
/// flight and an optional target rate.
/// <para>
/// A 429 or 503 answer is the server's back-pressure: the request is sent again after its <c>Retry-After</c>, up to
/// <see cref="ReplayOptions.MaxAttempts"/> attempts. A 2xx counts the request's events accepted; any other 4xx counts
/// them rejected (the contract rejects whole requests); network errors, timeouts and other 5xx count them failed.
/// </para>
/// <para>
/// Cancelling stops sending: no new request starts and a request waiting to retry gives up (its events count as
/// failed), but requests already on the wire are awaited, so the summary accounts for every event that was sent.
/// </para>
/// </summary>
public sealed class TrafficReplayer
{
    private const int MaxKeptBodyChars = 4_000;

    private readonly HttpClient _client;
    private readonly ReplayOptions _options;
    private readonly TimeProvider _time;
    private readonly Uri _target;

    public TrafficReplayer(HttpClient client, ReplayOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.BaseUrl);
        if (!options.BaseUrl.IsAbsoluteUri)
        {
            throw new ArgumentException("The base URL must be absolute, e.g. http://localhost:7071.", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Concurrency, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAttempts, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.KeptRejections, nameof(options));
        if (!double.IsFinite(options.EventsPerSecond) || options.EventsPerSecond < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.EventsPerSecond, "The rate must be a finite number of events per second, 0 for unlimited.");
        }

        if (options.MaxEvents is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxEvents, "The maximum number of events must not be negative.");
        }

        if (options.ProgressInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ProgressInterval, "The progress interval must be positive.");
        }

        _client = client;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _target = EventsUri(options.BaseUrl);
    }

    /// <summary>Where the events go: <c>{BaseUrl}/api/events</c>, keeping any path prefix of the base URL.</summary>
    public Uri Target => _target;

    /// <summary>The events URI of a base URL; a trailing slash or a path prefix (a reverse proxy's) is kept.</summary>
    public static Uri EventsUri(Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        var builder = new UriBuilder(baseUrl);
        builder.Path = builder.Path.TrimEnd('/') + "/api/events";
        return builder.Uri;
    }

    /// <summary>Replays the day of a simulator.</summary>
    public Task<ReplaySummary> ReplayAsync(OmniDaySimulator day, IProgress<ReplayProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(day);
        return ReplayAsync(day.Generate(), progress, cancellationToken);
    }

    /// <summary>
    /// Sends the events, in the order given, and reports progress every <see cref="ReplayOptions.ProgressInterval"/>
    /// and once more at the end. Returns when every sent request has been answered or given up; cancellation is not
    /// an exception here, it ends the replay early (<see cref="ReplaySummary.Cancelled"/>).
    /// </summary>
    public async Task<ReplaySummary> ReplayAsync(IEnumerable<JsonObject> events, IProgress<ReplayProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var run = new Run(_time, _options.KeptRejections);
        using var stopReporting = new CancellationTokenSource();
        var reporting = progress is null ? Task.CompletedTask : ReportAsync(run, progress, stopReporting.Token);
        var cancelled = false;
        using (var gate = new SemaphoreSlim(_options.Concurrency))
        {
            var inFlight = new List<Task>();
            try
            {
                var limited = _options.MaxEvents is { } max ? events.Take((int)Math.Min(max, int.MaxValue)) : events;
                long offset = 0;
                foreach (var batch in limited.Chunk(_options.BatchSize))
                {
                    cancellationToken.ThrowIfCancellationRequested();

                    // Pace against the start, not the previous request, so the rate does not drift with slow answers.
                    if (_options.EventsPerSecond > 0)
                    {
                        var due = TimeSpan.FromSeconds(offset / _options.EventsPerSecond) - run.Elapsed;
                        if (due > TimeSpan.Zero)
                        {
                            await Task.Delay(due, _time, cancellationToken);
                        }
                    }

                    await gate.WaitAsync(cancellationToken);
                    offset += batch.Length;
                    inFlight.Add(SendAsync(run, batch, gate, cancellationToken));
                    if (inFlight.Count > 4 * _options.Concurrency)
                    {
                        // Finished sends are dropped as we go, so a long day does not keep a task per request.
                        inFlight.RemoveAll(task => task.IsCompletedSuccessfully);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                cancelled = true;
            }

            // Stop sending means stop starting: what is on the wire is still counted.
            await Task.WhenAll(inFlight);
        }

        await stopReporting.CancelAsync();
        await reporting;
        progress?.Report(run.Snapshot());
        return run.Summarize(_target, cancelled);
    }

    private async Task ReportAsync(Run run, IProgress<ReplayProgress> progress, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(_options.ProgressInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                progress.Report(run.Snapshot());
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The replay is over; the caller reports the final snapshot.
        }
    }

    private async Task SendAsync(Run run, JsonObject[] batch, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        try
        {
            // Encoded once: a retry re-sends the very same bytes.
            var structured = _options.BatchSize == 1;
            var body = structured ? CloudEventJson.Encode(batch[0]) : CloudEventJson.EncodeBatch(batch);
            var mediaType = structured ? EventDecoder.StructuredMediaType : EventDecoder.BatchMediaType;
            run.RequestSent(batch.Length);
            var networkDelay = _options.DefaultRetryDelay;
            for (var attempt = 1; ; attempt++)
            {
                var outcome = await AttemptAsync(run, body, mediaType, batch.Length);
                if (outcome.RetryAfter is not { } delay)
                {
                    return;
                }

                if (attempt >= _options.MaxAttempts)
                {
                    run.Failed(batch.Length, $"{outcome.Description}; gave up after {attempt} attempts");
                    return;
                }

                if (outcome.BackPressure)
                {
                    run.Retried();
                }
                else
                {
                    // Network errors carry no Retry-After; back off exponentially so a restarting server is not hammered.
                    delay = networkDelay;
                    networkDelay = Min(networkDelay * 2, _options.MaxRetryDelay);
                    run.NetworkRetried();
                }

                try
                {
                    await Task.Delay(delay, _time, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    run.Failed(batch.Length, $"{outcome.Description}; cancelled while waiting to retry");
                    return;
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>One HTTP attempt; counts the events unless the attempt is to be retried.</summary>
    private async Task<Outcome> AttemptAsync(Run run, byte[] body, string mediaType, int events)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _target);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        if (_options.ApiKey is { } apiKey)
        {
            request.Headers.TryAddWithoutValidation("x-api-key", apiKey);
        }

        var started = Stopwatch.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            // Not the replay's token: a request on the wire is awaited after cancellation; the client's timeout bounds it.
            response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, CancellationToken.None);
        }
        catch (HttpRequestException exception)
        {
            return Outcome.Retry(_options.DefaultRetryDelay, backPressure: false, exception.Message);
        }
        catch (OperationCanceledException)
        {
            return Outcome.Retry(_options.DefaultRetryDelay, backPressure: false, $"no answer within {_client.Timeout.TotalSeconds:0.#} s");
        }

        using (response)
        {
            run.Latency(Stopwatch.GetElapsedTime(started));
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                run.Accepted(events);
                return Outcome.Done;
            }

            if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
            {
                return Outcome.Retry(RetryDelay(response), backPressure: true, $"{status} {response.ReasonPhrase}");
            }

            var text = run.KeepsMore ? Truncate(await response.Content.ReadAsStringAsync()) : string.Empty;
            if (status is >= 400 and < 500)
            {
                run.Rejected(events, status, text);
            }
            else
            {
                run.Failed(events, $"{status} {response.ReasonPhrase}{(text.Length > 0 ? ": " + text : string.Empty)}");
            }

            return Outcome.Done;
        }
    }

    /// <summary>The wait a 429/503 asks for: <c>Retry-After</c> as seconds or as an HTTP date, else the default; capped.</summary>
    private TimeSpan RetryDelay(HttpResponseMessage response)
    {
        var retryAfter = response.Headers.RetryAfter;
        var delay = retryAfter?.Delta
            ?? (retryAfter?.Date is { } date ? date - _time.GetUtcNow() : _options.DefaultRetryDelay);
        return delay < TimeSpan.Zero ? TimeSpan.Zero : Min(delay, _options.MaxRetryDelay);
    }

    private static TimeSpan Min(TimeSpan left, TimeSpan right) => left < right ? left : right;

    private static string Truncate(string text) =>
        text.Length <= MaxKeptBodyChars ? text : string.Concat(text.AsSpan(0, MaxKeptBodyChars), "...");

    /// <param name="RetryAfter">Null when the attempt settled the request (its events are counted).</param>
    private readonly record struct Outcome(TimeSpan? RetryAfter, bool BackPressure, string Description)
    {
        public static Outcome Done => new(null, false, string.Empty);

        public static Outcome Retry(TimeSpan delay, bool backPressure, string description) => new(delay, backPressure, description);
    }

    /// <summary>The counters of one replay, shared by its concurrent requests.</summary>
    private sealed class Run(TimeProvider time, int kept)
    {
        private readonly long _started = time.GetTimestamp();
        private readonly Lock _lock = new();
        private readonly HdrHistogram.LongHistogram _latencies = LatencyPercentiles.Histogram();
        private readonly List<ReplayRejection> _rejections = [];
        private readonly List<string> _failures = [];
        private long _sent;
        private long _accepted;
        private long _rejected;
        private long _failed;
        private long _requests;
        private long _retries;
        private long _networkRetries;

        public TimeSpan Elapsed => time.GetElapsedTime(_started);

        /// <summary>Whether another body is worth reading for the summary.</summary>
        public bool KeepsMore
        {
            get
            {
                lock (_lock)
                {
                    return _rejections.Count < kept || _failures.Count < kept;
                }
            }
        }

        public void RequestSent(int events)
        {
            Interlocked.Add(ref _sent, events);
            Interlocked.Increment(ref _requests);
        }

        public void Accepted(int events) => Interlocked.Add(ref _accepted, events);

        public void Retried() => Interlocked.Increment(ref _retries);

        public void NetworkRetried() => Interlocked.Increment(ref _networkRetries);

        public void Latency(TimeSpan latency)
        {
            lock (_lock)
            {
                LatencyPercentiles.Record(_latencies, latency.TotalMilliseconds);
            }
        }

        public void Rejected(int events, int status, string body)
        {
            Interlocked.Add(ref _rejected, events);
            lock (_lock)
            {
                if (_rejections.Count < kept)
                {
                    _rejections.Add(new ReplayRejection(status, events, body));
                }
            }
        }

        public void Failed(int events, string description)
        {
            Interlocked.Add(ref _failed, events);
            lock (_lock)
            {
                if (_failures.Count < kept)
                {
                    _failures.Add(string.Create(CultureInfo.InvariantCulture, $"{events} events: {description}"));
                }
            }
        }

        public ReplayProgress Snapshot() => new(
            Interlocked.Read(ref _sent),
            Interlocked.Read(ref _accepted),
            Interlocked.Read(ref _rejected),
            Interlocked.Read(ref _failed),
            Interlocked.Read(ref _retries),
            Elapsed);

        public ReplaySummary Summarize(Uri target, bool cancelled)
        {
            HdrHistogram.HistogramBase latencies;
            ReplayRejection[] rejections;
            string[] failures;
            lock (_lock)
            {
                latencies = _latencies.Copy();
                rejections = [.. _rejections];
                failures = [.. _failures];
            }

            return new ReplaySummary
            {
                Target = target,
                EventsSent = Interlocked.Read(ref _sent),
                EventsAccepted = Interlocked.Read(ref _accepted),
                EventsRejected = Interlocked.Read(ref _rejected),
                EventsFailed = Interlocked.Read(ref _failed),
                Requests = Interlocked.Read(ref _requests),
                Retries = Interlocked.Read(ref _retries),
                NetworkRetries = Interlocked.Read(ref _networkRetries),
                Duration = Elapsed,
                LatencyP50Milliseconds = LatencyPercentiles.Percentile(latencies, 0.50),
                LatencyP90Milliseconds = LatencyPercentiles.Percentile(latencies, 0.90),
                LatencyP99Milliseconds = LatencyPercentiles.Percentile(latencies, 0.99),
                LatencyMaxMilliseconds = LatencyPercentiles.Percentile(latencies, 1),
                LatencyHistogram = latencies,
                Rejections = rejections,
                Failures = failures,
                Cancelled = cancelled,
            };
        }
    }
}
