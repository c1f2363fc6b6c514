using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OmniChannel.Simulation.Bopis;

/// <summary>
/// A load run of buy-online-pickup-in-store against a backbone's HTTP API, as a store and its customers would drive it:
/// <list type="number">
/// <item>stocks the store with one <c>omni.inventory.adjusted</c> event (one unit per order of a run-unique SKU) and
/// waits until <c>GET /api/stores/{store}/inventory/{sku}</c> shows it;</item>
/// <item>places <see cref="BopisLoadOptions.Orders"/> pickup orders of one unit, at most
/// <see cref="BopisLoadOptions.Concurrency"/> orders in flight at once;</item>
/// <item>drives each order: waits for <c>reserved</c>, marks it picked, waits for <c>ready</c>, marks it collected and
/// waits for <c>collected</c> with its workflow <c>Completed</c>, each order within
/// <see cref="BopisLoadOptions.OrderTimeout"/>;</item>
/// <item>reads the stock again: on hand should have fallen by one per completed order, with nothing reserved.</item>
/// </list>
/// Each order has at most one request on the wire at a time. A 429/503 answer to a POST is back-pressure and the POST
/// is re-sent; placing is idempotent, so it is also re-sent after a network error, while a picked or collected signal
/// is not (it could have arrived). Any other refusal fails the order, which is counted with the step it failed at.
/// </summary>
public sealed class BopisLoadRun
{
    private const int MaxDescribedBodyChars = 300;

    private static readonly string[] FinishedStatuses = ["collected", "expired", "cancelled", "rejected"];

    private static readonly string[] FailedWorkflowStatuses = ["Failed", "Terminated", "Canceled"];

    private readonly HttpClient _client;
    private readonly BopisLoadOptions _options;
    private readonly TimeProvider _time;
    private readonly string _root;

    public BopisLoadRun(HttpClient client, BopisLoadOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.BaseUrl);
        if (!options.BaseUrl.IsAbsoluteUri)
        {
            throw new ArgumentException("The base URL must be absolute, e.g. http://localhost:7071.", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.Orders, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Concurrency, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAttempts, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.KeptFailures, nameof(options));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.StoreId, nameof(options));
        foreach (var (duration, name) in new[]
                 {
                     (options.PollInterval, nameof(options.PollInterval)), (options.OrderTimeout, nameof(options.OrderTimeout)),
                     (options.StockTimeout, nameof(options.StockTimeout)), (options.ProgressInterval, nameof(options.ProgressInterval)),
                 })
        {
            if (duration <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(options), duration, $"{name} must be positive.");
            }
        }

        _client = client;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _root = options.BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        RunTag = options.RunTag ?? NewRunTag(_time);
    }

    /// <summary>What makes this run's ids unique.</summary>
    public string RunTag { get; }

    /// <summary>The run-unique SKU every order is for.</summary>
    public string Sku => "SKU-BOPIS-" + RunTag;

    /// <summary>The id of the stock event.</summary>
    public string StockEventId => $"bopis-load-{RunTag}-stock";

    /// <summary>The id of order <paramref name="number"/> (1 to <see cref="BopisLoadOptions.Orders"/>).</summary>
    public string OrderId(int number) => string.Create(CultureInfo.InvariantCulture, $"BOPIS-{RunTag}-{number:D6}");

    /// <summary>The customer of order <paramref name="number"/>: one each, so their events spread over partitions.</summary>
    public string CustomerId(int number) => string.Create(CultureInfo.InvariantCulture, $"c-bopis-{RunTag}-{number}");

    /// <summary>
    /// Runs the whole load: stock, orders, stock check. Cancellation is not an exception here: no new order starts,
    /// orders in flight give up (counted as failed) and the summary is still returned.
    /// </summary>
    public async Task<BopisLoadSummary> RunAsync(IProgress<BopisLoadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var run = new Run(_time, _options.Orders, _options.KeptFailures);
        var stockStarted = _time.GetTimestamp();
        var (stockedOnHand, stockingError) = await StockAsync(run, cancellationToken);
        var stockingDuration = _time.GetElapsedTime(stockStarted);
        if (stockingError is not null)
        {
            return run.Summarize(this, stockingError, stockingDuration, null, cancellationToken.IsCancellationRequested);
        }

        run.Begin();
        using var stopReporting = new CancellationTokenSource();
        var reporting = progress is null ? Task.CompletedTask : ReportAsync(run, progress, stopReporting.Token);
        var orders = new List<Task>(_options.Orders);
        using (var gate = new SemaphoreSlim(_options.Concurrency))
        {
            try
            {
                for (var number = 1; number <= _options.Orders; number++)
                {
                    await gate.WaitAsync(cancellationToken);
                    orders.Add(DriveAsync(run, number, gate, cancellationToken));
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stop starting; the orders in flight notice the token themselves.
            }

            await Task.WhenAll(orders);
        }

        await stopReporting.CancelAsync();
        await reporting;
        progress?.Report(run.Snapshot());
        var stock = await CheckStockAsync(run, stockedOnHand!.Value, cancellationToken);
        return run.Summarize(this, null, stockingDuration, stock, cancellationToken.IsCancellationRequested);
    }

    private static string NewRunTag(TimeProvider time) =>
        time.GetUtcNow().ToString("yyMMddHHmmssfff", CultureInfo.InvariantCulture) + Random.Shared.Next(0x1000).ToString("x3", CultureInfo.InvariantCulture);

    private async Task ReportAsync(Run run, IProgress<BopisLoadProgress> progress, CancellationToken stop)
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
            // The run is over; the caller reports the final snapshot.
        }
    }

    /// <summary>Posts the stock event and waits until the inventory shows it; returns on hand then, or why not.</summary>
    private async Task<(int? OnHand, string? Error)> StockAsync(Run run, CancellationToken cancellationToken)
    {
        var inventory = Api($"stores/{Uri.EscapeDataString(_options.StoreId)}/inventory/{Uri.EscapeDataString(Sku)}");
        try
        {
            var before = await ReadStockAsync(run, inventory, cancellationToken);
            if (before.Level is not { } baseline)
            {
                return (null, $"GET {inventory} {before.Description}");
            }

            var cloudEvent = new JsonObject
            {
                ["specversion"] = "1.0",
                ["id"] = StockEventId,
                ["source"] = $"/pos/store/{_options.StoreId}",
                ["type"] = "omni.inventory.adjusted",
                ["time"] = _time.GetUtcNow().AddMinutes(-1).ToString("O", CultureInfo.InvariantCulture),
                ["channel"] = "pos",
                ["datacontenttype"] = "application/json",
                ["data"] = new JsonObject
                {
                    ["storeid"] = _options.StoreId,
                    ["sku"] = Sku,
                    ["delta"] = _options.Orders,
                    ["reason"] = "receiving",
                },
            };

            // Ingest is idempotent per event id, so a network error may re-send it.
            var posted = await PostAsync(run, Api("events"), cloudEvent.ToJsonString(), "application/cloudevents+json", resendAfterNetworkError: true, cancellationToken);
            if (!posted.Success)
            {
                return (null, $"the stock event was not accepted: {posted.Description}");
            }

            var wanted = baseline.OnHand + _options.Orders;
            var started = _time.GetTimestamp();
            while (true)
            {
                var now = await ReadStockAsync(run, inventory, cancellationToken);
                if (now.Level is { } level && level.OnHand >= wanted)
                {
                    return (level.OnHand, null);
                }

                if (_time.GetElapsedTime(started) >= _options.StockTimeout)
                {
                    return (null, string.Create(CultureInfo.InvariantCulture,
                        $"on hand did not reach {wanted:N0} within {_options.StockTimeout.TotalSeconds:0} s; last read: {(now.Level is { } last ? $"on hand {last.OnHand:N0}" : now.Description)}"));
                }

                await Task.Delay(_options.PollInterval, _time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (null, "cancelled while stocking");
        }
    }

    /// <summary>Reads the stock once the last order is done, giving the last hand-over a moment to show.</summary>
    private async Task<BopisStockCheck?> CheckStockAsync(Run run, int stockedOnHand, CancellationToken cancellationToken)
    {
        var inventory = Api($"stores/{Uri.EscapeDataString(_options.StoreId)}/inventory/{Uri.EscapeDataString(Sku)}");
        var expectedDecrease = run.CollectedAcceptedCount;
        var settle = _options.StockTimeout < TimeSpan.FromSeconds(10) ? _options.StockTimeout : TimeSpan.FromSeconds(10);
        var started = _time.GetTimestamp();
        BopisStockCheck? check = null;
        try
        {
            while (true)
            {
                // After a cancellation one read is all the caller waits for.
                var read = await ReadStockAsync(run, inventory, CancellationToken.None);
                if (read.Level is { } level)
                {
                    check = new BopisStockCheck(stockedOnHand, level.OnHand, level.Reserved, expectedDecrease);
                }

                if (check is { Passed: true } || cancellationToken.IsCancellationRequested || _time.GetElapsedTime(started) >= settle)
                {
                    return check;
                }

                await Task.Delay(_options.PollInterval, _time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return check;
        }
    }

    /// <summary>Drives one order from placement to collected; every way it can end is counted in <paramref name="run"/>.</summary>
    private async Task DriveAsync(Run run, int number, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        // Off the caller's loop at once, so starting the next order never waits for this one's first request.
        await Task.Yield();
        var orderId = OrderId(number);
        var step = "place";
        var placedAt = run.Started();
        try
        {
            var placed = await PostAsync(run, Api("orders"), OrderBody(number), "application/json", resendAfterNetworkError: true, cancellationToken);
            if (!placed.Success)
            {
                run.Failed(orderId, step, placed.Description);
                return;
            }

            run.Placed();
            var store = Uri.EscapeDataString(_options.StoreId);
            var escaped = Uri.EscapeDataString(orderId);
            var driven = new (string Step, Func<Task<Result>> Action)[]
            {
                ("reserved", () => WaitForAsync(run, orderId, "reserved", placedAt, cancellationToken)),
                ("picked", () => PostAsync(run, Api($"stores/{store}/orders/{escaped}/picked"), null, null, resendAfterNetworkError: false, cancellationToken)),
                ("ready", () => WaitForAsync(run, orderId, "ready", placedAt, cancellationToken)),
                ("collected", () => PostAsync(run, Api($"stores/{store}/orders/{escaped}/collected"), null, null, resendAfterNetworkError: false, cancellationToken)),
                ("completed", () => WaitForAsync(run, orderId, "collected", placedAt, cancellationToken)),
            };
            foreach (var (name, action) in driven)
            {
                step = name;
                var result = await action();
                if (!result.Success)
                {
                    run.Failed(orderId, step, result.Description);
                    return;
                }

                if (name == "ready")
                {
                    run.Ready(placedAt);
                }
                else if (name == "collected")
                {
                    run.CollectedAccepted();
                }
            }

            run.Completed(placedAt);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            run.Failed(orderId, step, "cancelled");
        }
        finally
        {
            gate.Release();
        }
    }

    private string OrderBody(int number) => new JsonObject
    {
        ["orderid"] = OrderId(number),
        ["customerid"] = CustomerId(number),
        ["storeid"] = _options.StoreId,
        ["fulfilment"] = "pickup",
        ["lines"] = new JsonArray(new JsonObject { ["sku"] = Sku, ["quantity"] = 1, ["price"] = "9.99" }),
    }.ToJsonString();

    /// <summary>
    /// Polls <c>GET /api/orders/{id}</c> until <c>order.status</c> is <paramref name="status"/> (and, for <c>collected</c>,
    /// <c>workflowStatus</c> is <c>Completed</c>); fails at once when the order or its workflow ended otherwise, or when
    /// the order's time is up. Errors while polling (404 before the order shows, 5xx) are retried until then.
    /// </summary>
    private async Task<Result> WaitForAsync(Run run, string orderId, string status, long placedAt, CancellationToken cancellationToken)
    {
        var uri = Api("orders/" + Uri.EscapeDataString(orderId));
        var needsCompleted = status == "collected";
        var last = "no answer yet";
        while (true)
        {
            run.Polled();
            var answer = await SendAsync(run, HttpMethod.Get, uri, null, null, cancellationToken);
            if (answer.Status == HttpStatusCode.OK && ReadOrder(answer.Body) is { } seen)
            {
                if (string.Equals(seen.Status, status, StringComparison.OrdinalIgnoreCase)
                    && (!needsCompleted || string.Equals(seen.WorkflowStatus, "Completed", StringComparison.OrdinalIgnoreCase)))
                {
                    return Result.Ok;
                }

                last = $"status '{seen.Status}', workflow '{seen.WorkflowStatus}'{(seen.Reason is { Length: > 0 } reason ? $" ({reason})" : string.Empty)}";
                var ended = !string.Equals(seen.Status, status, StringComparison.OrdinalIgnoreCase)
                            && FinishedStatuses.Contains(seen.Status, StringComparer.OrdinalIgnoreCase);
                if (ended || FailedWorkflowStatuses.Contains(seen.WorkflowStatus, StringComparer.OrdinalIgnoreCase))
                {
                    return Result.Fail($"waiting for '{status}', found {last}");
                }
            }
            else
            {
                last = answer.Description;
            }

            if (_time.GetElapsedTime(placedAt) >= _options.OrderTimeout)
            {
                return Result.Fail(string.Create(CultureInfo.InvariantCulture,
                    $"not '{status}' within {_options.OrderTimeout.TotalSeconds:0} s of placing; last seen: {last}"));
            }

            await Task.Delay(_options.PollInterval, _time, cancellationToken);
        }
    }

    private static OrderSeen? ReadOrder(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("order", out var order) || order.ValueKind != JsonValueKind.Object
                || !order.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            var workflow = root.TryGetProperty("workflowStatus", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            var reason = order.TryGetProperty("statusReason", out var why) && why.ValueKind == JsonValueKind.String ? why.GetString() : null;
            return new OrderSeen(status.GetString()!, workflow, reason);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<(StockLevel? Level, string Description)> ReadStockAsync(Run run, Uri inventory, CancellationToken cancellationToken)
    {
        run.Polled();
        var answer = await SendAsync(run, HttpMethod.Get, inventory, null, null, cancellationToken);
        if (answer.Status != HttpStatusCode.OK)
        {
            return (null, answer.Description);
        }

        try
        {
            using var document = JsonDocument.Parse(answer.Body);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                   && root.TryGetProperty("onHand", out var onHand) && onHand.TryGetInt32(out var onHandValue)
                   && root.TryGetProperty("reserved", out var reserved) && reserved.TryGetInt32(out var reservedValue)
                ? (new StockLevel(onHandValue, reservedValue), "ok")
                : (null, "answered without onHand and reserved: " + Truncate(answer.Body));
        }
        catch (JsonException)
        {
            return (null, "answered something other than JSON: " + Truncate(answer.Body));
        }
    }

    /// <summary>A POST that succeeds on any 2xx; 429/503 are re-sent after their Retry-After, up to the attempt limit.</summary>
    private async Task<Result> PostAsync(Run run, Uri uri, string? body, string? mediaType, bool resendAfterNetworkError, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var answer = await SendAsync(run, HttpMethod.Post, uri, body, mediaType, cancellationToken);
            if (answer.Status is { } status && (int)status is >= 200 and < 300)
            {
                return Result.Ok;
            }

            var backPressure = answer.Status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable;
            if (!(backPressure || (answer.Status is null && resendAfterNetworkError)) || attempt >= _options.MaxAttempts)
            {
                return Result.Fail($"POST {uri.AbsolutePath} {answer.Description}{(attempt > 1 ? $" (after {attempt} attempts)" : string.Empty)}");
            }

            run.Retried();
            await Task.Delay(answer.RetryAfter ?? _options.RetryDelay, _time, cancellationToken);
        }
    }

    /// <summary>One HTTP exchange; a network error or timeout is an answer without a status, cancellation is thrown.</summary>
    private async Task<Answer> SendAsync(Run run, HttpMethod method, Uri uri, string? body, string? mediaType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType ?? "application/json") { CharSet = "utf-8" };
        }

        if (_options.ApiKey is { } apiKey)
        {
            request.Headers.TryAddWithoutValidation("x-api-key", apiKey);
        }

        run.Request();
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var description = response.IsSuccessStatusCode
                ? $"answered {(int)response.StatusCode}"
                : $"answered {(int)response.StatusCode} {response.ReasonPhrase}{(text.Length > 0 ? ": " + Truncate(text) : string.Empty)}";
            return new Answer(response.StatusCode, text, description, RetryDelay(response));
        }
        catch (HttpRequestException exception)
        {
            return new Answer(null, string.Empty, "failed: " + exception.Message, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Answer(null, string.Empty, string.Create(CultureInfo.InvariantCulture, $"got no answer within {_client.Timeout.TotalSeconds:0.#} s"), null);
        }
    }

    private TimeSpan? RetryDelay(HttpResponseMessage response)
    {
        var retryAfter = response.Headers.RetryAfter;
        var delay = retryAfter?.Delta ?? (retryAfter?.Date is { } date ? date - _time.GetUtcNow() : null);
        if (delay is not { } value)
        {
            return null;
        }

        return value < TimeSpan.Zero ? TimeSpan.Zero : value > _options.MaxRetryDelay ? _options.MaxRetryDelay : value;
    }

    private Uri Api(string relative) => new(_root + "/api/" + relative);

    private static string Truncate(string text) =>
        text.Length <= MaxDescribedBodyChars ? text : string.Concat(text.AsSpan(0, MaxDescribedBodyChars), "...");

    private readonly record struct Result(bool Success, string Description)
    {
        public static Result Ok => new(true, string.Empty);

        public static Result Fail(string description) => new(false, description);
    }

    /// <param name="Status">Null for a network error or timeout.</param>
    private readonly record struct Answer(HttpStatusCode? Status, string Body, string Description, TimeSpan? RetryAfter);

    private readonly record struct StockLevel(int OnHand, int Reserved);

    private sealed record OrderSeen(string Status, string? WorkflowStatus, string? Reason);

    /// <summary>The counters and latencies of one run, shared by its concurrent orders.</summary>
    private sealed class Run(TimeProvider time, int orders, int kept)
    {
        private readonly Lock _lock = new();
        private readonly List<TimeSpan> _toReady = [];
        private readonly List<TimeSpan> _toCollected = [];
        private readonly List<string> _failures = [];
        private readonly Dictionary<string, int> _failuresByStep = new(StringComparer.Ordinal);
        private long _begun;
        private long _lastReady;
        private long _lastFinished;
        private long _lastCompleted;
        private int _started;
        private int _placed;
        private int _ready;
        private int _completed;
        private int _collectedAccepted;
        private int _failed;
        private long _requests;
        private long _polls;
        private long _retries;

        /// <summary>Orders whose collected signal was accepted: their units leave the store, even if the run stopped waiting.</summary>
        public int CollectedAcceptedCount => Volatile.Read(ref _collectedAccepted);

        /// <summary>The first placement is about to go out: the clock of the order phase starts.</summary>
        public void Begin() => _begun = time.GetTimestamp();

        /// <summary>An order starts; returns its placement timestamp.</summary>
        public long Started()
        {
            Interlocked.Increment(ref _started);
            return time.GetTimestamp();
        }

        public void Placed() => Interlocked.Increment(ref _placed);

        public void Ready(long placedAt)
        {
            var now = time.GetTimestamp();
            Interlocked.Increment(ref _ready);
            lock (_lock)
            {
                _toReady.Add(time.GetElapsedTime(placedAt, now));
                _lastReady = Math.Max(_lastReady, now);
            }
        }

        public void CollectedAccepted() => Interlocked.Increment(ref _collectedAccepted);

        public void Completed(long placedAt)
        {
            var now = time.GetTimestamp();
            Interlocked.Increment(ref _completed);
            lock (_lock)
            {
                _toCollected.Add(time.GetElapsedTime(placedAt, now));
                _lastFinished = Math.Max(_lastFinished, now);
                _lastCompleted = Math.Max(_lastCompleted, now);
            }
        }

        public void Failed(string orderId, string step, string description)
        {
            var now = time.GetTimestamp();
            Interlocked.Increment(ref _failed);
            lock (_lock)
            {
                _lastFinished = Math.Max(_lastFinished, now);
                var firstAtStep = !_failuresByStep.ContainsKey(step);
                _failuresByStep[step] = _failuresByStep.GetValueOrDefault(step) + 1;

                // The first few, and the first of every step, so each kind of failure is explained.
                if (_failures.Count < kept || (firstAtStep && kept > 0))
                {
                    _failures.Add($"{orderId} at {step}: {description}");
                }
            }
        }

        public void Request() => Interlocked.Increment(ref _requests);

        public void Polled() => Interlocked.Increment(ref _polls);

        public void Retried() => Interlocked.Increment(ref _retries);

        public BopisLoadProgress Snapshot() => new(
            orders,
            Volatile.Read(ref _placed),
            Volatile.Read(ref _ready),
            Volatile.Read(ref _completed),
            Volatile.Read(ref _failed),
            _begun == 0 ? TimeSpan.Zero : time.GetElapsedTime(_begun));

        public BopisLoadSummary Summarize(BopisLoadRun owner, string? stockingError, TimeSpan stockingDuration, BopisStockCheck? stock, bool cancelled)
        {
            lock (_lock)
            {
                return new BopisLoadSummary
                {
                    BaseUrl = owner._options.BaseUrl,
                    StoreId = owner._options.StoreId,
                    Sku = owner.Sku,
                    RunTag = owner.RunTag,
                    Orders = orders,
                    Placed = _placed,
                    Ready = _ready,
                    Completed = _completed,
                    Failed = _failed,
                    NotStarted = orders - _started,
                    FailuresByStep = new Dictionary<string, int>(_failuresByStep, StringComparer.Ordinal),
                    Failures = [.. _failures],
                    StockingError = stockingError,
                    StockingDuration = stockingDuration,
                    Duration = _begun == 0 || _lastFinished == 0 ? TimeSpan.Zero : time.GetElapsedTime(_begun, _lastFinished),
                    CompletedWindow = _begun == 0 || _lastCompleted == 0 ? TimeSpan.Zero : time.GetElapsedTime(_begun, _lastCompleted),
                    ReadyWindow = _begun == 0 || _lastReady == 0 ? TimeSpan.Zero : time.GetElapsedTime(_begun, _lastReady),
                    PlaceToReady = LatencyPercentiles.From(_toReady),
                    PlaceToCollected = LatencyPercentiles.From(_toCollected),
                    Requests = Interlocked.Read(ref _requests),
                    Polls = Interlocked.Read(ref _polls),
                    Retries = Interlocked.Read(ref _retries),
                    Stock = stock,
                    Cancelled = cancelled,
                };
            }
        }
    }
}
