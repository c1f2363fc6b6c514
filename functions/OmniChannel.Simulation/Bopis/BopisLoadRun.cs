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
/// <item>stocks the store with one <c>omni.inventory.adjusted</c> event (every unit the orders ask for, of a run-unique
/// SKU) and waits until <c>GET /api/stores/{store}/inventory/{sku}</c> shows it;</item>
/// <item>places <see cref="BopisLoadOptions.Orders"/> pickup orders at <see cref="UnitPrice"/> a unit, at most
/// <see cref="BopisLoadOptions.Concurrency"/> orders in flight at once, each given a <see cref="BopisOutcome"/>
/// (<see cref="BopisOutcomePlan"/>);</item>
/// <item>drives each order by its outcome, each within <see cref="BopisLoadOptions.OrderTimeout"/>: waits for
/// <c>reserved</c>; then marks it picked (a short order with one unit short), waits for <c>ready</c>, marks it collected
/// and waits for <c>collected</c> — or, unpicked, waits for the backbone to cancel it, or, a no-show, marks it picked and
/// waits for the backbone to expire it; every final state with its workflow <c>Completed</c>;</item>
/// <item>reconciles: the stock to the unit (<see cref="BopisStockCheck"/>) and each order's refunds to the cent
/// (<see cref="BopisRefundCheck"/>).</item>
/// </list>
/// Each order has at most one request on the wire at a time. A 429/503 answer to a POST is back-pressure and the POST
/// is re-sent; placing is idempotent, so it is also re-sent after a network error, while a picked or collected signal
/// is not (it could have arrived). Any other refusal fails the order, which is counted with the step it failed at.
/// </summary>
public sealed class BopisLoadRun
{
    /// <summary>The run's price of one unit of its SKU: it has cents, so a refund a cent off shows.</summary>
    public const decimal UnitPrice = 12.34m;

    private const int MaxDescribedBodyChars = 300;

    private static readonly string[] FinishedStatuses = ["collected", "expired", "cancelled", "rejected"];

    private static readonly string[] FailedWorkflowStatuses = ["Failed", "Terminated", "Canceled"];

    private readonly HttpClient _client;
    private readonly BopisLoadOptions _options;
    private readonly TimeProvider _time;
    private readonly string _root;
    private readonly IReadOnlyList<BopisOutcome> _outcomes;

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
        foreach (var percent in new[] { options.UnpickedPercent, options.ShortPercent, options.NoShowPercent })
        {
            ArgumentOutOfRangeException.ThrowIfNegative(percent, nameof(options));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100m, nameof(options));
        }

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
        _outcomes = BopisOutcomePlan.Assign(RunTag, options.Orders, options.UnpickedPercent, options.ShortPercent, options.NoShowPercent);
    }

    /// <summary>What makes this run's ids unique.</summary>
    public string RunTag { get; }

    /// <summary>The run-unique SKU every order is for.</summary>
    public string Sku => "SKU-BOPIS-" + RunTag;

    /// <summary>Units of <see cref="Sku"/> the run's orders ask for in all, and so the units it stocks the store with.</summary>
    public int UnitsOrdered => _outcomes.Sum(BopisExpectations.UnitsOrdered);

    /// <summary>How order <paramref name="number"/> (1 to <see cref="BopisLoadOptions.Orders"/>) is driven.</summary>
    public BopisOutcome OutcomeOf(int number) => _outcomes[number - 1];

    /// <summary>The id of the stock event.</summary>
    public string StockEventId => $"bopis-load-{RunTag}-stock";

    /// <summary>The id of order <paramref name="number"/> (1 to <see cref="BopisLoadOptions.Orders"/>).</summary>
    public string OrderId(int number) => string.Create(CultureInfo.InvariantCulture, $"BOPIS-{RunTag}-{number:D6}");

    /// <summary>The customer of order <paramref name="number"/>: one each, so their events spread over partitions.</summary>
    public string CustomerId(int number) => string.Create(CultureInfo.InvariantCulture, $"c-bopis-{RunTag}-{number}");

    /// <summary>
    /// Runs the whole load: stock, orders, reconciliation. Cancellation is not an exception here: no new order starts,
    /// orders in flight give up (counted as failed), the refunds are not checked and the summary is still returned.
    /// </summary>
    public async Task<BopisLoadSummary> RunAsync(IProgress<BopisLoadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var run = new Run(_time, _outcomes, _options.KeptFailures, _options.ShortUnitsLeaveOnHand);
        var stockStarted = _time.GetTimestamp();
        var (stockedOnHand, stockingError) = await StockAsync(run, cancellationToken);
        var stockingDuration = _time.GetElapsedTime(stockStarted);
        if (stockingError is not null)
        {
            return run.Summarize(this, stockingError, stockingDuration, null, null, cancellationToken.IsCancellationRequested);
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
        var refunds = _options.CheckRefunds && !cancellationToken.IsCancellationRequested ? await CheckRefundsAsync(run, cancellationToken) : null;
        return run.Summarize(this, null, stockingDuration, stock, refunds, cancellationToken.IsCancellationRequested);
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
                    ["delta"] = UnitsOrdered,
                    ["reason"] = "receiving",
                },
            };

            // Ingest is idempotent per event id, so a network error may re-send it.
            var posted = await PostAsync(run, Api("events"), cloudEvent.ToJsonString(), "application/cloudevents+json", resendAfterNetworkError: true, cancellationToken);
            if (!posted.Success)
            {
                return (null, $"the stock event was not accepted: {posted.Description}");
            }

            var wanted = baseline.OnHand + UnitsOrdered;
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
        var expectedDecrease = run.UnitsOffTheShelf;
        var settle = Settle;
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
                    check = new BopisStockCheck(stockedOnHand, level.OnHand, level.Reserved, level.Available, expectedDecrease);
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

    /// <summary>How long the end checks give the backbone's last writes to show: the stock timeout, at most 10 s.</summary>
    private TimeSpan Settle => _options.StockTimeout < TimeSpan.FromSeconds(10) ? _options.StockTimeout : TimeSpan.FromSeconds(10);

    /// <summary>
    /// Reads the refunds of every order that ended as planned from the local host's payment simulator and reconciles
    /// them; orders whose refunds do not add up yet are read again until <see cref="Settle"/> has passed.
    /// </summary>
    private async Task<BopisRefundCheck> CheckRefundsAsync(Run run, CancellationToken cancellationToken)
    {
        var numbers = run.EndedAsPlanned;
        var received = new Dictionary<int, IReadOnlyList<(string RefundId, decimal Amount)>>();
        var pending = numbers.ToList();
        var started = _time.GetTimestamp();
        try
        {
            while (true)
            {
                var reads = new (int Number, IReadOnlyList<(string RefundId, decimal Amount)>? Refunds, string Description)[pending.Count];
                await Parallel.ForAsync(0, pending.Count, new ParallelOptions { MaxDegreeOfParallelism = _options.Concurrency, CancellationToken = cancellationToken },
                    async (index, token) =>
                    {
                        var (refunds, description) = await ReadRefundsAsync(run, OrderId(pending[index]), token);
                        reads[index] = (pending[index], refunds, description);
                    });
                var unread = Array.FindIndex(reads, read => read.Refunds is null);
                if (unread >= 0)
                {
                    return new BopisRefundCheck(received.Count, 0, 0m, 0m, [], [], $"GET /api/local/orders/{OrderId(reads[unread].Number)}/messages {reads[unread].Description}");
                }

                foreach (var read in reads)
                {
                    received[read.Number] = read.Refunds!;
                }

                pending = [.. pending.Where(number => received[number].Sum(refund => refund.Amount) != ExpectedRefund(number))];
                if (pending.Count == 0 || _time.GetElapsedTime(started) >= Settle)
                {
                    return Reconcile(numbers, received);
                }

                await Task.Delay(_options.PollInterval, _time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new BopisRefundCheck(received.Count, 0, 0m, 0m, [], [], "cancelled while reading the refunds");
        }
    }

    private decimal ExpectedRefund(int number) => BopisExpectations.Refund(OutcomeOf(number), UnitPrice);

    private BopisRefundCheck Reconcile(IReadOnlyList<int> numbers, Dictionary<int, IReadOnlyList<(string RefundId, decimal Amount)>> received)
    {
        var culture = CultureInfo.InvariantCulture;
        var mismatches = new List<string>();
        foreach (var number in numbers)
        {
            var refunds = received[number];
            var expected = ExpectedRefund(number);
            var total = refunds.Sum(refund => refund.Amount);
            if (total != expected)
            {
                var listed = refunds.Count == 0 ? "none" : string.Join(", ", refunds.Select(refund => string.Create(culture, $"{refund.RefundId} {refund.Amount:0.00}")));
                mismatches.Add(string.Create(culture,
                    $"{OrderId(number)} ({BopisExpectations.Name(OutcomeOf(number))}): refunded {total:0.00}, expected {expected:0.00} (refunds: {listed})"));
            }
        }

        var duplicates = received.Values.SelectMany(refunds => refunds).GroupBy(refund => refund.RefundId, StringComparer.Ordinal)
            .Where(group => group.Count() > 1)
            .Select(group => string.Create(culture, $"{group.Key} x{group.Count()}"))
            .Order(StringComparer.Ordinal)
            .ToList();
        return new BopisRefundCheck(
            numbers.Count,
            received.Values.Sum(refunds => refunds.Count),
            numbers.Sum(ExpectedRefund),
            received.Values.Sum(refunds => refunds.Sum(refund => refund.Amount)),
            mismatches,
            duplicates,
            null);
    }

    /// <summary><c>GET /api/local/orders/{id}/messages</c>: its <c>refunds[]</c> as refund id and amount, or why not.</summary>
    private async Task<(IReadOnlyList<(string RefundId, decimal Amount)>? Refunds, string Description)> ReadRefundsAsync(Run run, string orderId, CancellationToken cancellationToken)
    {
        var answer = await SendAsync(run, HttpMethod.Get, Api($"local/orders/{Uri.EscapeDataString(orderId)}/messages"), null, null, cancellationToken);
        if (answer.Status != HttpStatusCode.OK)
        {
            return (null, answer.Description);
        }

        try
        {
            using var document = JsonDocument.Parse(answer.Body);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("refunds", out var refunds) || refunds.ValueKind != JsonValueKind.Array)
            {
                return (null, "answered without refunds[]: " + Truncate(answer.Body));
            }

            var list = new List<(string, decimal)>();
            foreach (var refund in refunds.EnumerateArray())
            {
                if (refund.ValueKind != JsonValueKind.Object
                    || !refund.TryGetProperty("refundId", out var id) || id.ValueKind != JsonValueKind.String
                    || !refund.TryGetProperty("amount", out var amount) || ReadMoney(amount) is not { } value)
                {
                    return (null, "answered a refund without refundId and amount: " + Truncate(answer.Body));
                }

                list.Add((id.GetString()!, value));
            }

            return (list, "ok");
        }
        catch (JsonException)
        {
            return (null, "answered something other than JSON: " + Truncate(answer.Body));
        }
    }

    /// <summary>An amount as a JSON number or a decimal string, read straight into <see cref="decimal"/> (never through a double).</summary>
    private static decimal? ReadMoney(JsonElement amount) => amount.ValueKind switch
    {
        JsonValueKind.Number when amount.TryGetDecimal(out var number) => number,
        JsonValueKind.String when decimal.TryParse(amount.GetString(), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var text) => text,
        _ => null,
    };

    /// <summary>Drives one order from placement to its final state; every way it can end is counted in <paramref name="run"/>.</summary>
    private async Task DriveAsync(Run run, int number, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        // Off the caller's loop at once, so starting the next order never waits for this one's first request.
        await Task.Yield();
        var orderId = OrderId(number);
        var outcome = OutcomeOf(number);
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
            foreach (var (name, action) in Steps(run, number, placedAt, cancellationToken))
            {
                step = name;
                var result = await action();
                if (!result.Success)
                {
                    run.Failed(orderId, step, result.Description);
                    return;
                }

                switch (name)
                {
                    case "picked":
                        run.PickAccepted(outcome);
                        break;
                    case "ready":
                        run.Ready(placedAt);
                        break;
                    case "collected":
                        run.CollectedAccepted(outcome);
                        break;
                }
            }

            run.EndedAsPlannedAt(number, placedAt);
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

    /// <summary>
    /// The steps after placement for the order's outcome, each named as a failure there is counted: the store's and the
    /// customer's actions, and the waits for the backbone in between. The last waits for the final state.
    /// </summary>
    private IEnumerable<(string Step, Func<Task<Result>> Action)> Steps(Run run, int number, long placedAt, CancellationToken cancellationToken)
    {
        var orderId = OrderId(number);
        var outcome = OutcomeOf(number);
        var store = Uri.EscapeDataString(_options.StoreId);
        var escaped = Uri.EscapeDataString(orderId);
        yield return ("reserved", () => WaitForAsync(run, orderId, "reserved", placedAt, cancellationToken));
        if (outcome == BopisOutcome.Unpicked)
        {
            yield return ("cancelled", () => WaitForAsync(run, orderId, BopisExpectations.FinalStatus(outcome), placedAt, cancellationToken));
            yield break;
        }

        yield return ("picked", () => PostAsync(run, Api($"stores/{store}/orders/{escaped}/picked"), PickBody(outcome), "application/json", resendAfterNetworkError: false, cancellationToken));
        yield return ("ready", () => WaitForAsync(run, orderId, "ready", placedAt, cancellationToken));
        if (outcome == BopisOutcome.NoShow)
        {
            yield return ("expired", () => WaitForAsync(run, orderId, BopisExpectations.FinalStatus(outcome), placedAt, cancellationToken));
            yield break;
        }

        yield return ("collected", () => PostAsync(run, Api($"stores/{store}/orders/{escaped}/collected"), null, null, resendAfterNetworkError: false, cancellationToken));
        yield return ("completed", () => WaitForAsync(run, orderId, BopisExpectations.FinalStatus(outcome), placedAt, cancellationToken));
    }

    /// <summary>
    /// The picked signal's body: none picks everything (as a store does when nothing is missing); a short order lists
    /// its line with the units found, so the backbone refunds the rest (<c>{orderId}:short</c>).
    /// </summary>
    private string? PickBody(BopisOutcome outcome) => BopisExpectations.UnitsShort(outcome) == 0
        ? null
        : new JsonObject
        {
            ["lines"] = new JsonArray(new JsonObject
            {
                ["sku"] = Sku,
                ["picked"] = BopisExpectations.UnitsOrdered(outcome) - BopisExpectations.UnitsShort(outcome),
            }),
        }.ToJsonString();

    private string OrderBody(int number) => new JsonObject
    {
        ["orderid"] = OrderId(number),
        ["customerid"] = CustomerId(number),
        ["storeid"] = _options.StoreId,
        ["fulfilment"] = "pickup",
        ["lines"] = new JsonArray(new JsonObject
        {
            ["sku"] = Sku,
            ["quantity"] = BopisExpectations.UnitsOrdered(OutcomeOf(number)),
            ["price"] = UnitPrice.ToString("0.00", CultureInfo.InvariantCulture),
        }),
    }.ToJsonString();

    /// <summary>
    /// Polls <c>GET /api/orders/{id}</c> until <c>order.status</c> is <paramref name="status"/> (and, for a final state,
    /// <c>workflowStatus</c> is <c>Completed</c>, so the compensation's refund is done); fails at once when the order or
    /// its workflow ended otherwise, or when the order's time is up. Errors while polling (404 before the order shows,
    /// 5xx) are retried until then.
    /// </summary>
    private async Task<Result> WaitForAsync(Run run, string orderId, string status, long placedAt, CancellationToken cancellationToken)
    {
        var uri = Api("orders/" + Uri.EscapeDataString(orderId));
        var needsCompleted = FinishedStatuses.Contains(status, StringComparer.Ordinal);
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
                   && root.TryGetProperty("available", out var available) && available.TryGetInt32(out var availableValue)
                ? (new StockLevel(onHandValue, reservedValue, availableValue), "ok")
                : (null, "answered without onHand, reserved and available: " + Truncate(answer.Body));
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

    private readonly record struct StockLevel(int OnHand, int Reserved, int Available);

    private sealed record OrderSeen(string Status, string? WorkflowStatus, string? Reason);

    /// <summary>The counters and latencies of one run, shared by its concurrent orders.</summary>
    private sealed class Run(TimeProvider time, IReadOnlyList<BopisOutcome> outcomes, int kept, bool shortUnitsLeaveOnHand)
    {
        private readonly int _orders = outcomes.Count;
        private readonly Dictionary<BopisOutcome, int> _asPlanned = Enum.GetValues<BopisOutcome>().ToDictionary(outcome => outcome, _ => 0);
        private readonly List<int> _endedAsPlanned = [];
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
        private int _unitsOffTheShelf;
        private int _failed;
        private long _requests;
        private long _polls;
        private long _retries;

        /// <summary>
        /// Units that left the store by what the backbone accepted: handed over by every accepted collected signal (even
        /// where the run stopped waiting), and the short units of accepted short picks when they count as missing.
        /// </summary>
        public int UnitsOffTheShelf => Volatile.Read(ref _unitsOffTheShelf);

        /// <summary>The numbers of the orders that ended in their outcome's final state, in order.</summary>
        public IReadOnlyList<int> EndedAsPlanned
        {
            get
            {
                lock (_lock)
                {
                    return [.. _endedAsPlanned.Order()];
                }
            }
        }

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

        public void PickAccepted(BopisOutcome outcome) =>
            Interlocked.Add(ref _unitsOffTheShelf, BopisExpectations.UnitsOffTheShelfAtPick(outcome, shortUnitsLeaveOnHand));

        public void CollectedAccepted(BopisOutcome outcome) =>
            Interlocked.Add(ref _unitsOffTheShelf, BopisExpectations.UnitsOffTheShelfAtCollection(outcome));

        /// <summary>Order <paramref name="number"/> reached its final state; a collected one counts in place → collected.</summary>
        public void EndedAsPlannedAt(int number, long placedAt)
        {
            var now = time.GetTimestamp();
            var outcome = outcomes[number - 1];
            Interlocked.Increment(ref _completed);
            lock (_lock)
            {
                if (BopisExpectations.UnitsHandedOver(outcome) > 0)
                {
                    _toCollected.Add(time.GetElapsedTime(placedAt, now));
                }

                _asPlanned[outcome]++;
                _endedAsPlanned.Add(number);
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
            _orders,
            Volatile.Read(ref _placed),
            Volatile.Read(ref _ready),
            Volatile.Read(ref _completed),
            Volatile.Read(ref _failed),
            _begun == 0 ? TimeSpan.Zero : time.GetElapsedTime(_begun));

        public BopisLoadSummary Summarize(BopisLoadRun owner, string? stockingError, TimeSpan stockingDuration, BopisStockCheck? stock, BopisRefundCheck? refunds, bool cancelled)
        {
            lock (_lock)
            {
                return new BopisLoadSummary
                {
                    BaseUrl = owner._options.BaseUrl,
                    StoreId = owner._options.StoreId,
                    Sku = owner.Sku,
                    RunTag = owner.RunTag,
                    Orders = _orders,
                    UnitPrice = UnitPrice,
                    UnitsOrdered = owner.UnitsOrdered,
                    ShortUnitsLeaveOnHand = shortUnitsLeaveOnHand,
                    Outcomes = [.. Enum.GetValues<BopisOutcome>().Select(planned => new BopisOutcomeCount(planned, outcomes.Count(outcome => outcome == planned), _asPlanned[planned]))],
                    Placed = _placed,
                    Ready = _ready,
                    Completed = _completed,
                    Failed = _failed,
                    NotStarted = _orders - _started,
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
                    Refunds = refunds,
                    Cancelled = cancelled,
                };
            }
        }
    }
}
