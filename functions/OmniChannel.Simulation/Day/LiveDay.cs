using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OmniChannel.Core.Events;
using OmniChannel.Core.Remarketing;
using OmniChannel.Core.Stores;
using Polly;
using Polly.Retry;

namespace OmniChannel.Simulation.Day;

/// <summary>
/// The live part of <c>simulate</c>, after the day's events are replayed: what the backbone's workflows do with a day,
/// driven now, through the routes the people of a retailer use, so a newcomer sees every workflow at work within minutes:
/// <list type="number">
/// <item>the day's pickup orders are placed through <c>POST /api/orders</c> (each starts its <c>BopisFulfillment</c>);</item>
/// <item>the stores' associates pick them (<see cref="PickupPlan"/>: most in full and in time, some short, a few after the
/// pick deadline when it is minutes away, a few never), and the customers collect (some tell the store they have arrived
/// first, a few never come);</item>
/// <item>app users who signed in walk near a store where it is not quiet hours for the rules (their phone sends its device id
/// only), get a coupon from the rules marketing set, and some redeem it: at a till online (<c>validate</c> then
/// <c>redeem</c>) or offline (the sale event carries the code);</item>
/// <item>a mid-day markdown of the best sellers fans out to the price subscribers;</item>
/// <item>the summary reads back from <c>GET /api/insights/summary</c> what the workflows did.</item>
/// </list>
/// Orders left unpicked or uncollected are ended by the backbone's own timers (the pick deadline, the pickup window),
/// which the README's local host runs compressed to minutes.
/// </summary>
public sealed class LiveDay
{
    /// <summary>How long the live part waits for the backbone at any one step before it reports what did not happen.</summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(90);

    /// <summary>A late pick waits for the pick deadline only when it is at most this far away (the compressed timings).</summary>
    public static readonly TimeSpan LongestLateWait = TimeSpan.FromMinutes(3);

    private const int Parallelism = 8;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _client;
    private readonly OmniDaySimulator _day;
    private readonly Uri _api;
    private readonly string? _apiKey;
    private readonly TextWriter _output;
    private readonly TimeProvider _clock;
    private readonly string _tag;
    private readonly ResiliencePipeline<HttpResponseMessage> _refusedForNow;

    public LiveDay(HttpClient client, OmniDaySimulator day, Uri url, string? apiKey, TextWriter output, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        _client = client;
        _day = day;
        _api = new Uri(url.AbsoluteUri.TrimEnd('/') + "/api/");
        _apiKey = apiKey;
        _output = output;
        _clock = clock ?? TimeProvider.System;
        // The live events are new on every run (a second run of the same day walks and buys again); the orders are the day's.
        _tag = string.Create(CultureInfo.InvariantCulture, $"{day.RunTag:x8}-{_clock.GetUtcNow():HHmmss}");

        // 429 and 503 say "not now": the request did not happen, so it is sent again, after the server's Retry-After.
        _refusedForNow = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>().HandleResult(response => response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable),
                MaxRetryAttempts = 10,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromMilliseconds(200),
                MaxDelay = TimeSpan.FromSeconds(5),
                UseJitter = true,
                DelayGenerator = arguments => ValueTask.FromResult(arguments.Outcome.Result?.Headers.RetryAfter?.Delta),
            })
            .Build();
    }

    public async Task<LiveDaySummary> RunAsync(CancellationToken cancellationToken)
    {
        var summary = new LiveDaySummary();
        await Say("Live: the day's pickup orders through POST /api/orders, the stores' associates and their customers…");
        await RunPickupAsync(summary, cancellationToken);
        await Say(summary.PickupLine());

        await Say("Live: app users near a store, the rules' coupons, the tills…");
        await RunCouponsAsync(summary, cancellationToken);
        await Say(summary.CouponLine());

        await Say("Live: a mid-day markdown of the best sellers to the price subscribers…");
        await RunPriceChangeAsync(summary, cancellationToken);
        await Say(summary.PriceLine());

        summary.Insights = await ReadInsightsAsync(cancellationToken);
        return summary;
    }

    // ---- pickup ----

    private async Task RunPickupAsync(LiveDaySummary summary, CancellationToken cancellationToken)
    {
        var orders = _day.PickupOrders().ToList();
        summary.PickupCustomers = orders.Select(order => (string?)order["customerid"]).OfType<string>().ToHashSet(StringComparer.Ordinal);

        // The busiest store's associates are short-handed: its orders go every way an order can (PickupPlan.Busiest), so
        // its queue in the console shows orders awaiting pick, overdue and ready after the day.
        var busiest = orders.GroupBy(order => (string)order["data"]!["storeid"]!).OrderByDescending(group => group.Count()).ThenBy(group => group.Key, StringComparer.Ordinal).FirstOrDefault();
        summary.BusiestStore = busiest is null ? null : (busiest.Key, busiest.Count());
        var plans = orders.ToDictionary(
            order => (string)order["data"]!["orderid"]!,
            order => busiest?.Key == (string)order["data"]!["storeid"]! ? PickupPlan.Busiest(busiest.ToList().IndexOf(order)) : PickupPlan.For((string)order["data"]!["orderid"]!),
            StringComparer.Ordinal);
        await Parallel.ForEachAsync(orders, Options(cancellationToken), async (cloudEvent, token) =>
        {
            var data = (JsonObject)cloudEvent["data"]!.DeepClone();
            var orderId = (string)data["orderid"]!;
            var storeId = (string)data["storeid"]!;
            data["customerid"] = (string?)cloudEvent["customerid"];

            // As a web shop offers pickup only where the stock shows: the night's deliveries may still be on their way
            // through ingest when the replay has sent the last event.
            await WaitForStockAsync(storeId, (JsonArray)data["lines"]!, token);
            using var placed = await SendAsync(HttpMethod.Post, "orders", data, token);
            if (placed.StatusCode == HttpStatusCode.Conflict && (await placed.Content.ReadAsStringAsync(token)).Contains("stock", StringComparison.OrdinalIgnoreCase))
            {
                summary.Count(PickupStep.Rejected);
                return;
            }

            if (!placed.IsSuccessStatusCode)
            {
                summary.Count(PickupStep.NotPlaced, $"{orderId}: {(int)placed.StatusCode} {await placed.Content.ReadAsStringAsync(token)}");
                return;
            }

            summary.Count(PickupStep.Placed);
            await DriveOrderAsync(summary, orderId, storeId, data, plans[orderId], token);
        });
    }

    /// <summary>One order, as its store and its customer act on it; every way it goes is counted.</summary>
    private async Task DriveOrderAsync(LiveDaySummary summary, string orderId, string storeId, JsonObject order, PickupPlan plan, CancellationToken cancellationToken)
    {
        var held = await WaitForOrderAsync(orderId, status => status is not "placed", cancellationToken);
        switch (held?.Status)
        {
            case "reserved":
                break;
            case "rejected":
                summary.Count(PickupStep.Rejected);
                return;
            case "ready" or "collected" or "expired" or "cancelled":
                summary.Count(PickupStep.FromEarlierRun);
                return;
            default:
                summary.Count(PickupStep.Stuck, $"{orderId}: {held?.Status ?? "no answer"} after placing");
                return;
        }

        if (plan.Pick == PickPlan.Never)
        {
            summary.Count(PickupStep.LeftUnpicked);
            summary.OpenOrderCustomers[(string)order["customerid"]!] = orderId;
            return;
        }

        // The deadline is set by the workflow's step after the hold; a late pick waits for it to show.
        var pickDueAt = plan.Pick != PickPlan.Late || held.PickDueAt is not null
            ? held.PickDueAt
            : (await PollAsync("orders/" + Uri.EscapeDataString(orderId), answer => StateOf(answer) is { Status: not "reserved" } or { PickDueAt: not null }, cancellationToken)) is { } later
                ? StateOf(later).PickDueAt
                : null;
        if (plan.Pick == PickPlan.Late && pickDueAt is { } due && due - _clock.GetUtcNow() <= LongestLateWait)
        {
            await Task.Delay(Max(due - _clock.GetUtcNow() + TimeSpan.FromSeconds(5), TimeSpan.Zero), _clock, cancellationToken);
            summary.Count(PickupStep.PickedLate);
        }

        var store = Uri.EscapeDataString(storeId);
        var id = Uri.EscapeDataString(orderId);
        var shortLine = plan.Pick == PickPlan.Short ? ShortPick(order) : null;
        using (var picked = await SendAsync(HttpMethod.Post, $"stores/{store}/orders/{id}/picked", shortLine ?? new JsonObject(), cancellationToken))
        {
            if (!picked.IsSuccessStatusCode)
            {
                summary.Count(PickupStep.Stuck, $"{orderId}: picked answered {(int)picked.StatusCode}");
                return;
            }
        }

        summary.Count(shortLine is null ? PickupStep.Picked : PickupStep.PickedShort);
        if (await WaitForOrderAsync(orderId, status => status is "ready" or "collected" or "cancelled" or "expired", cancellationToken) is not { Status: "ready" })
        {
            summary.Count(PickupStep.Stuck, $"{orderId}: not ready after the pick");
            return;
        }

        if (plan.Collect == CollectPlan.NoShow)
        {
            summary.Count(PickupStep.NoShow);
            summary.OpenOrderCustomers[(string)order["customerid"]!] = orderId;
            return;
        }

        if (plan.Collect == CollectPlan.ArrivesFirst)
        {
            using var arrived = await SendAsync(HttpMethod.Post, $"orders/{id}/arrived", new JsonObject(), cancellationToken);
            summary.Count(arrived.IsSuccessStatusCode ? PickupStep.Arrived : PickupStep.Stuck, arrived.IsSuccessStatusCode ? null : $"{orderId}: arrived answered {(int)arrived.StatusCode}");
            await Task.Delay(TimeSpan.FromSeconds(2), _clock, cancellationToken);
        }

        using (var collected = await SendAsync(HttpMethod.Post, $"stores/{store}/orders/{id}/collected", null, cancellationToken))
        {
            if (!collected.IsSuccessStatusCode)
            {
                summary.Count(PickupStep.Stuck, $"{orderId}: collected answered {(int)collected.StatusCode}");
                return;
            }
        }

        var done = await WaitForOrderAsync(orderId, status => status is "collected" or "cancelled" or "expired", cancellationToken);
        summary.Count(done?.Status == "collected" ? PickupStep.Collected : PickupStep.Stuck, done?.Status == "collected" ? null : $"{orderId}: {done?.Status ?? "no answer"} after collection");
    }

    /// <summary>A pick one unit short on the order's first line of two or more units (or its whole second line); null when nothing can be short.</summary>
    private static JsonObject? ShortPick(JsonObject order)
    {
        var lines = ((JsonArray)order["lines"]!).OfType<JsonObject>().ToList();
        if (lines.FirstOrDefault(line => (int)line["quantity"]! >= 2) is { } several)
        {
            return new JsonObject { ["lines"] = new JsonArray(new JsonObject { ["sku"] = (string)several["sku"]!, ["picked"] = (int)several["quantity"]! - 1 }) };
        }

        return lines.Count >= 2
            ? new JsonObject { ["lines"] = new JsonArray(new JsonObject { ["sku"] = (string)lines[1]["sku"]!, ["picked"] = 0 }) }
            : null;
    }

    /// <summary>Reads the store's stock of each line until it is available (each for at most <see cref="StepTimeout"/>: the orders API then decides).</summary>
    private async Task WaitForStockAsync(string storeId, JsonArray lines, CancellationToken cancellationToken)
    {
        foreach (var line in lines.OfType<JsonObject>())
        {
            var path = $"stores/{Uri.EscapeDataString(storeId)}/inventory/{Uri.EscapeDataString((string)line["sku"]!)}";
            await PollAsync(path, level => level.GetProperty("available").GetInt32() >= (int)line["quantity"]!, cancellationToken);
        }
    }

    private sealed record OrderState(string Status, DateTimeOffset? PickDueAt);

    /// <summary>Reads <c>GET /api/orders/{id}</c> until its status passes <paramref name="reached"/> or <see cref="StepTimeout"/> ends; the last state read.</summary>
    private async Task<OrderState?> WaitForOrderAsync(string orderId, Func<string, bool> reached, CancellationToken cancellationToken) =>
        await PollAsync("orders/" + Uri.EscapeDataString(orderId), answer => reached(StateOf(answer).Status), cancellationToken) is { } last ? StateOf(last) : null;

    private static OrderState StateOf(JsonElement answer)
    {
        var order = answer.GetProperty("order");
        return new OrderState(
            order.GetProperty("status").GetString()!,
            order.TryGetProperty("pickDueAt", out var due) && due.ValueKind == JsonValueKind.String ? due.GetDateTimeOffset() : null);
    }

    /// <summary>Reads <paramref name="path"/> every half second until its answer passes <paramref name="reached"/> or <see cref="StepTimeout"/> ends; the last answer read (null: none).</summary>
    private async Task<JsonElement?> PollAsync(string path, Func<JsonElement, bool> reached, CancellationToken cancellationToken)
    {
        var deadline = _clock.GetUtcNow() + StepTimeout;
        JsonElement? last = null;
        while (true)
        {
            using (var response = await SendAsync(HttpMethod.Get, path, null, cancellationToken))
            {
                if (response.IsSuccessStatusCode)
                {
                    last = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                    if (reached(last.Value))
                    {
                        return last;
                    }
                }
            }

            if (_clock.GetUtcNow() > deadline)
            {
                return last;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), _clock, cancellationToken);
        }
    }

    // ---- coupons ----

    private async Task RunCouponsAsync(LiveDaySummary summary, CancellationToken cancellationToken)
    {
        var (rules, refused) = await ReadGeofenceRulesAsync(cancellationToken);
        if (refused is not null)
        {
            summary.CouponNote = refused;
            return;
        }

        if (rules.Count == 0)
        {
            summary.CouponNote = "no enabled geofence rule: nobody walking near a store can get a coupon (the Rules page makes one)";
            return;
        }

        var now = _clock.GetUtcNow();
        if (await ReadStoresAsync(cancellationToken) is not { } stores)
        {
            summary.CouponNote = "the store directory could not be read";
            return;
        }

        var awake = stores.Where(store => !rules.Any(rule => rule.QuietHours is { } quiet && quiet.Contains(RuleEngine.LocalTime(now, store.TimeZone)))).ToList();
        if (awake.Count == 0)
        {
            summary.CouponNote = "it is quiet hours at every store now, so the rules send no coupons; run simulate again when it is day somewhere in the chain";
            return;
        }

        var walkers = Walkers(awake, summary.PickupCustomers).ToList();
        var setup = new JsonArray();
        foreach (var walker in walkers)
        {
            foreach (var cloudEvent in walker.Setup(now, _tag))
            {
                setup.Add(cloudEvent);
            }
        }

        using (var posted = await SendAsync(HttpMethod.Post, "events", setup, cancellationToken, "application/cloudevents-batch+json"))
        {
            if (!posted.IsSuccessStatusCode)
            {
                summary.CouponNote = $"the walkers' sign-ins were refused: {(int)posted.StatusCode} {await posted.Content.ReadAsStringAsync(cancellationToken)}";
                return;
            }
        }

        // The walk comes after the sign-in is stitched and the cart is in the 360 (the rules read both).
        await Parallel.ForEachAsync(walkers, Options(cancellationToken), async (walker, token) =>
            await WaitForCustomerAsync(walker.CustomerId, customer => customer.GetProperty("recentActivity").EnumerateArray()
                .Any(entry => entry.GetProperty("eventId").GetString() == walker.EventId(_tag, Walker.CartStep)), token));

        var walks = new JsonArray([.. walkers.Select(walker => (JsonNode)walker.Walk(_clock.GetUtcNow(), _tag))]);
        using (var walked = await SendAsync(HttpMethod.Post, "events", walks, cancellationToken, "application/cloudevents-batch+json"))
        {
            summary.Walkers = walked.IsSuccessStatusCode ? walkers.Count : 0;
        }

        // Once coupons come, the rest get a little longer only: a walker the rules pass over (their reasons are the
        // workflow's) does not hold the day up for the whole step timeout.
        var coupons = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var pending = walkers.ToList();
        var deadline = _clock.GetUtcNow() + StepTimeout;
        while (pending.Count > 0 && _clock.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), _clock, cancellationToken);
            await Parallel.ForEachAsync(pending, Options(cancellationToken), async (walker, token) =>
            {
                using var response = await SendAsync(HttpMethod.Get, "customers/" + Uri.EscapeDataString(walker.CustomerId), null, token);
                if (response.IsSuccessStatusCode
                    && (await response.Content.ReadFromJsonAsync<JsonElement>(token)).GetProperty("activeCoupons") is { ValueKind: JsonValueKind.Array } active
                    && active.GetArrayLength() > 0)
                {
                    coupons[walker.CustomerId] = active[0].GetProperty("code").GetString()!;
                }
            });
            var before = pending.Count;
            pending.RemoveAll(walker => coupons.ContainsKey(walker.CustomerId));
            if (pending.Count < before)
            {
                deadline = Min(deadline, _clock.GetUtcNow() + TimeSpan.FromSeconds(20));
            }
        }

        summary.CouponsIssued = coupons.Count;
        summary.SampleCustomer = walkers.Where(walker => coupons.ContainsKey(walker.CustomerId))
            .OrderBy(walker => summary.OpenOrderCustomers.ContainsKey(walker.CustomerId) ? 0 : summary.PickupCustomers.Contains(walker.CustomerId) ? 1 : 2)
            .Select(walker => (walker.CustomerId, walker.App.DeviceId))
            .FirstOrDefault();

        // Two of three redeem: alternately at a till online (validate, then redeem) and at one offline (the sale event).
        var redeemers = walkers.Where(walker => coupons.ContainsKey(walker.CustomerId)).Where((_, index) => index % 3 != 2).ToList();
        for (var index = 0; index < redeemers.Count; index++)
        {
            var walker = redeemers[index];
            var code = coupons[walker.CustomerId];
            var sale = walker.Sale(_clock.GetUtcNow(), _tag, index % 2 == 0 ? null : code);
            if (index % 2 == 0 && !await RedeemAtTillAsync(walker, code, sale, summary, cancellationToken))
            {
                continue;
            }

            using var posted = await SendAsync(HttpMethod.Post, "events", sale, cancellationToken, "application/cloudevents+json");
            if (posted.IsSuccessStatusCode && index % 2 == 1)
            {
                summary.CouponsRedeemedOffline++;
            }
        }
    }

    /// <summary>The till's two calls: is the code good for this basket (and how much off), then redeem it on the sale.</summary>
    private async Task<bool> RedeemAtTillAsync(Walker walker, string code, JsonObject sale, LiveDaySummary summary, CancellationToken cancellationToken)
    {
        var request = new JsonObject
        {
            ["storeId"] = walker.Store.Id,
            ["customer"] = new JsonObject { ["customerid"] = walker.CustomerId },
            ["basketTotal"] = EventWriter.Money(Walker.BasketTotal(sale)),
        };
        var escaped = Uri.EscapeDataString(code);
        using (var validated = await SendAsync(HttpMethod.Post, $"coupons/{escaped}/validate", request, cancellationToken))
        {
            if (!validated.IsSuccessStatusCode || !(await validated.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("valid").GetBoolean())
            {
                summary.Problems.Enqueue($"{code}: the till's validation refused it");
                return false;
            }
        }

        request["saleId"] = (string)sale["id"]!;
        using var redeemed = await SendAsync(HttpMethod.Post, $"coupons/{escaped}/redeem", request, cancellationToken);
        if (!redeemed.IsSuccessStatusCode)
        {
            summary.Problems.Enqueue($"{code}: the till's redemption answered {(int)redeemed.StatusCode}");
            return false;
        }

        // The sale event then records the purchase in the 360 and the attribution; it carries no code (already redeemed).
        sale["data"]!.AsObject().Remove("couponcode");
        summary.CouponsRedeemedAtTill++;
        return true;
    }

    /// <summary>Up to one in ten of the day's app users (at least 5, at most 40), each walking near an awake store: their own if it is.</summary>
    private IEnumerable<Walker> Walkers(IReadOnlyList<Store> awake, IReadOnlySet<string> pickupCustomers)
    {
        // Customers with a pickup order today first: the Customers page then shows one person with an order and a coupon.
        var appUsers = _day.Customers.Where(customer => customer.Devices.Any(device => device.Channel == Channels.App))
            .OrderBy(customer => pickupCustomers.Contains(customer.CustomerId) ? 0 : 1)
            .ThenBy(customer => customer.Index)
            .ToList();
        var count = Math.Min(appUsers.Count, Math.Clamp(_day.Customers.Count / 10, 5, 40));
        for (var index = 0; index < count; index++)
        {
            var customer = appUsers[index];
            var store = awake.FirstOrDefault(candidate => candidate.Id == customer.HomeStore.Id) ?? awake[index % awake.Count];
            var (sku, price) = _day.Product(index % 20);
            yield return new Walker(customer.CustomerId, customer.Devices.First(device => device.Channel == Channels.App), store, sku, price);
        }
    }

    /// <summary>The enabled geofence rules, or why they could not be read (a host that enforces keys wants an admin key for them).</summary>
    private async Task<(IReadOnlyList<RemarketingRule> Rules, string? Refused)> ReadGeofenceRulesAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, "remarketing/rules", null, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return ([], $"the rules could not be read ({(int)response.StatusCode}): against a host that enforces keys the live part needs one that may read them");
        }

        var rules = new List<RemarketingRule>();
        foreach (var node in (await response.Content.ReadFromJsonAsync<JsonArray>(cancellationToken))!.OfType<JsonObject>())
        {
            if (RuleRequests.ReadRule((string)node["id"]!, node).Rule is { Enabled: true, Signal: RemarketingSignal.GeofenceEntered } rule)
            {
                rules.Add(rule);
            }
        }

        return (rules, null);
    }

    private async Task<IReadOnlyList<Store>?> ReadStoresAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, "stores", null, cancellationToken);
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<List<Store>>(Json, cancellationToken) : null;
    }

    private Task<JsonElement?> WaitForCustomerAsync(string customerId, Func<JsonElement, bool> reached, CancellationToken cancellationToken) =>
        PollAsync("customers/" + Uri.EscapeDataString(customerId), reached, cancellationToken);

    // ---- prices ----

    private async Task RunPriceChangeAsync(LiveDaySummary summary, CancellationToken cancellationToken)
    {
        var changeId = $"day-{_tag}-markdown";
        var items = new JsonArray();
        for (var rank = 0; rank < 5; rank++)
        {
            var (sku, price) = _day.Product(rank);
            items.Add(new JsonObject { ["sku"] = sku, ["price"] = EventWriter.Money(Math.Round(price * 0.85m, 2)) });
        }

        var change = new JsonObject
        {
            ["changeId"] = changeId,
            ["items"] = items,
            ["effectiveAt"] = _clock.GetUtcNow().AddSeconds(30).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        };
        using (var posted = await SendAsync(HttpMethod.Post, "prices", change, cancellationToken))
        {
            if (!posted.IsSuccessStatusCode)
            {
                summary.PriceNote = $"the price change was refused: {(int)posted.StatusCode} {await posted.Content.ReadAsStringAsync(cancellationToken)}";
                return;
            }
        }

        var deadline = _clock.GetUtcNow() + StepTimeout;
        while (_clock.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), _clock, cancellationToken);
            using var response = await SendAsync(HttpMethod.Get, "prices/changes/" + changeId, null, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                continue;
            }

            var report = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            var counts = report.GetProperty("counts");
            summary.PriceDeliveries = (counts.GetProperty("total").GetInt32(), counts.GetProperty("delivered").GetInt32(), counts.GetProperty("failed").GetInt32());
            if (report.GetProperty("workflowStatus").GetString() is "Completed" or "Failed" or "Terminated")
            {
                return;
            }
        }

        summary.PriceNote = "still delivering when the live part stopped waiting";
    }

    private async Task<JsonElement?> ReadInsightsAsync(CancellationToken cancellationToken)
    {
        // From the replayed day (its events' counters) to today (the live part's workflows).
        var today = DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime);
        var from = DateOnly.FromDateTime(_day.Start.UtcDateTime);
        from = from < today.AddDays(-1) ? from : today.AddDays(-1);
        using var response = await SendAsync(HttpMethod.Get, $"insights/summary?from={from:yyyy-MM-dd}&to={today:yyyy-MM-dd}", null, cancellationToken);
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken) : null;
    }

    // ---- plumbing ----

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken, string mediaType = "application/json") =>
        await _refusedForNow.ExecuteAsync(async token =>
        {
            using var request = new HttpRequestMessage(method, new Uri(_api, path));
            if (body is not null)
            {
                request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, mediaType);
            }

            if (_apiKey is not null)
            {
                request.Headers.Add("x-api-key", _apiKey);
            }

            return await _client.SendAsync(request, token);
        }, cancellationToken);

    private static ParallelOptions Options(CancellationToken cancellationToken) => new() { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };

    private static TimeSpan Max(TimeSpan left, TimeSpan right) => left > right ? left : right;

    private static DateTimeOffset Min(DateTimeOffset left, DateTimeOffset right) => left < right ? left : right;

    private Task Say(string line) => _output.WriteLineAsync(line);
}
