using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OmniChannel.Simulation.Tests.Bopis;

/// <summary>What the fake does with one order.</summary>
public enum FakeOrderFate
{
    /// <summary>placed → reserved → (picked) ready → (collected) collected, workflow Completed.</summary>
    Normal,

    /// <summary>The order goes to <c>rejected</c> instead of <c>reserved</c>, its workflow Completed.</summary>
    Rejected,

    /// <summary>The picked signal is answered 409 (the order is finished).</summary>
    PickRefused,

    /// <summary>Picked is accepted but the order stays <c>reserved</c> for ever.</summary>
    NeverReady,

    /// <summary>Collected is accepted (and the stock handed over) but the workflow never shows Completed.</summary>
    NeverCompletes,

    /// <summary>Every refund of the order reaches the payment side twice under the same refund id.</summary>
    RefundsTwice,

    /// <summary>Every refund of the order is a cent less than it should be.</summary>
    RefundsCentShort,

    /// <summary>Cancelling or expiring the order refunds it but keeps its units held.</summary>
    KeepsHold,
}

/// <summary>
/// A stand-in for the backbone's BOPIS routes on Kestrel at a free loopback port, simulating the order state machine
/// the way the real one looks from outside: every change (the reservation, picked, collected, the workflow completing)
/// shows only from the next read on, like an asynchronous workflow. Inventory events are applied a read late too.
/// Its timers count reads instead of time: an order read <see cref="TimerReads"/> times as <c>reserved</c> without a
/// pick is cancelled, one read as often <c>ready</c> without a collection expires; either releases the held units and
/// refunds what is left of the order (<c>{id}:refund</c>). A pick with a body of lines refunds the short units at the
/// line price (<c>{id}:short</c>) and lets go of their hold. The local host's payment simulator is modelled by
/// <c>GET /api/local/orders/{id}/messages</c>. It records each order's accepted calls, each pick's body and the most
/// requests it ever had in flight.
/// </summary>
public sealed class FakeBopisServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Store, string Sku), Stock> _stock = [];
    private readonly Dictionary<string, Order> _orders = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<JsonObject> _events = new();
    private readonly ConcurrentQueue<string?> _apiKeys = new();
    private int _inFlight;
    private int _maxInFlight;
    private int _placeAttempts;

    private FakeBopisServer(WebApplication app)
    {
        _app = app;
        app.Use(async (context, next) =>
        {
            _apiKeys.Enqueue(context.Request.Headers["x-api-key"].FirstOrDefault());
            var now = Interlocked.Increment(ref _inFlight);
            InterlockedMax(ref _maxInFlight, now);
            try
            {
                await next(context);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        });
        app.MapPost("/api/events", (Delegate)PostEventAsync);
        app.MapGet("/api/stores/{storeId}/inventory/{sku}", (string storeId, string sku) => GetStock(storeId, sku));
        app.MapPost("/api/orders", (Delegate)PlaceAsync);
        app.MapGet("/api/orders/{id}", (string id) => GetOrder(id));
        app.MapPost("/api/stores/{storeId}/orders/{id}/picked", (Delegate)PickedAsync);
        app.MapPost("/api/stores/{storeId}/orders/{id}/collected", (string storeId, string id) => Signal(storeId, id, "collected", null));
        app.MapGet("/api/local/orders/{id}/messages", (string id) => GetMessages(id));
    }

    /// <summary>The stores that exist (an inventory read of another store answers 404).</summary>
    public ISet<string> Stores { get; } = new HashSet<string>(StringComparer.Ordinal) { "0001", "0002" };

    /// <summary>What happens to each order, by id; set it before the run.</summary>
    public Func<string, FakeOrderFate> FateOf { get; set; } = _ => FakeOrderFate.Normal;

    /// <summary>Reads of an order left waiting (reserved and not picked, ready and not collected) before its timer fires.</summary>
    public int TimerReads { get; set; } = 3;

    /// <summary>Whether a short pick's missing units leave on-hand (booked missing, as the backbone does) instead of going back to available.</summary>
    public bool ShortUnitsLeaveOnHand { get; set; } = true;

    /// <summary>Whether <c>/api/local/orders/{id}/messages</c> exists (it does on the local host only).</summary>
    public bool HasMessagesRoute { get; set; } = true;

    /// <summary>Answers placement attempt n (1-based over all orders) with 503 and <c>Retry-After: 0</c> when true.</summary>
    public Func<int, bool> PlaceUnavailable { get; set; } = _ => false;

    public Uri BaseUrl => new(_app.Urls.First());

    /// <summary>The CloudEvents posted to <c>/api/events</c>.</summary>
    public IReadOnlyList<JsonObject> Events => [.. _events];

    /// <summary>The <c>x-api-key</c> of every request, null where there was none.</summary>
    public IReadOnlyList<string?> ApiKeys => [.. _apiKeys];

    /// <summary>The most requests that were being handled at once.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Every order's accepted calls in order: place, picked, collected.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Calls
    {
        get
        {
            lock (_lock)
            {
                return _orders.ToDictionary(order => order.Key, order => (IReadOnlyList<string>)[.. order.Value.Calls], StringComparer.Ordinal);
            }
        }
    }

    /// <summary>The body of each order's accepted picked signal, empty when it had none.</summary>
    public IReadOnlyDictionary<string, string> PickBodies
    {
        get
        {
            lock (_lock)
            {
                return _orders.Where(order => order.Value.PickBody is not null)
                    .ToDictionary(order => order.Key, order => order.Value.PickBody!, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Units each order asked for.</summary>
    public IReadOnlyDictionary<string, int> OrderedUnits
    {
        get
        {
            lock (_lock)
            {
                return _orders.ToDictionary(order => order.Key, order => order.Value.Quantity, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Orders placed per SKU.</summary>
    public IReadOnlyList<string> OrderSkus
    {
        get
        {
            lock (_lock)
            {
                return [.. _orders.Values.Select(order => order.Sku)];
            }
        }
    }

    public static async Task<FakeBopisServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var server = new FakeBopisServer(builder.Build());
        await server._app.StartAsync();
        return server;
    }

    public (int OnHand, int Reserved) StockOf(string storeId, string sku)
    {
        lock (_lock)
        {
            return _stock.TryGetValue((storeId, sku), out var stock) ? (stock.OnHand + stock.Pending, stock.Reserved) : (0, 0);
        }
    }

    /// <summary>The refunds the payment side received for an order, as refund id and amount.</summary>
    public IReadOnlyList<(string RefundId, decimal Amount)> RefundsOf(string orderId)
    {
        lock (_lock)
        {
            return _orders.TryGetValue(orderId, out var order) ? [.. order.Refunds.Select(refund => (refund.RefundId, refund.Amount))] : [];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private async Task<IResult> PostEventAsync(HttpContext context)
    {
        if (await JsonNode.ParseAsync(context.Request.Body) is not JsonObject cloudEvent || cloudEvent["data"] is not JsonObject data)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid events");
        }

        _events.Enqueue(cloudEvent);
        if ((string?)cloudEvent["type"] == "omni.inventory.adjusted")
        {
            lock (_lock)
            {
                StockAt((string)data["storeid"]!, (string)data["sku"]!).Pending += (int)data["delta"]!;
            }
        }

        return Results.Accepted();
    }

    private IResult GetStock(string storeId, string sku)
    {
        if (!Stores.Contains(storeId))
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"Store '{storeId}' not found");
        }

        lock (_lock)
        {
            var stock = StockAt(storeId, sku);
            var shown = new { storeId, sku, onHand = stock.OnHand, reserved = stock.Reserved, available = stock.OnHand - stock.Reserved };

            // Ingest is asynchronous: the event shows from the next read on.
            stock.OnHand += stock.Pending;
            stock.Pending = 0;
            return Results.Ok(shown);
        }
    }

    private async Task<IResult> PlaceAsync(HttpContext context)
    {
        if (PlaceUnavailable(Interlocked.Increment(ref _placeAttempts)))
        {
            context.Response.Headers.RetryAfter = "0";
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Busy");
        }

        var body = (JsonObject)(await JsonNode.ParseAsync(context.Request.Body))!;
        var id = (string)body["orderid"]!;
        var storeId = (string)body["storeid"]!;
        var line = (JsonObject)((JsonArray)body["lines"]!)[0]!;
        var sku = (string)line["sku"]!;
        var quantity = (int)line["quantity"]!;
        var price = decimal.Parse((string)line["price"]!, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        if ((string?)body["fulfilment"] != "pickup" || string.IsNullOrEmpty((string?)body["customerid"]))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid order");
        }

        lock (_lock)
        {
            if (_orders.ContainsKey(id))
            {
                return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Order id taken");
            }

            var stock = StockAt(storeId, sku);
            if (stock.OnHand - stock.Reserved < quantity)
            {
                return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not enough stock at the store");
            }

            var fate = FateOf(id);
            if (fate != FakeOrderFate.Rejected)
            {
                stock.Reserved += quantity;
            }

            var order = new Order(id, storeId, sku, quantity, price, fate);
            order.Calls.Add("place");
            order.Next = fate == FakeOrderFate.Rejected ? ("rejected", "Completed") : ("reserved", "Running");
            _orders.Add(id, order);
        }

        return Results.Accepted($"/api/orders/{id}", new { id, status = "placed" });
    }

    private IResult GetOrder(string id)
    {
        lock (_lock)
        {
            if (!_orders.TryGetValue(id, out var order))
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"Order '{id}' not found");
            }

            var shown = new { order = new { id, storeId = order.StoreId, status = order.Status, statusReason = "fake" }, workflowStatus = order.Workflow };

            // The workflow moves on asynchronously: a change shows from the next read on, the completion one read later.
            if (order.Next is { } next)
            {
                (order.Status, order.Workflow) = next;
                order.Next = next.Status == "collected" && next.Workflow == "Running" && order.Fate != FakeOrderFate.NeverCompletes ? ("collected", "Completed") : null;
                order.WaitingReads = 0;
            }
            else if (((order.Status == "reserved" && order.PickBody is null) || order.Status == "ready") && ++order.WaitingReads >= TimerReads)
            {
                // The pick SLA and the unpicked grace, or the pickup window, have passed.
                Compensate(order, order.Status == "reserved" ? "cancelled" : "expired");
            }

            return Results.Ok(shown);
        }
    }

    private async Task<IResult> PickedAsync(HttpContext context, string storeId, string id)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        return Signal(storeId, id, "picked", body);
    }

    private IResult GetMessages(string id)
    {
        if (!HasMessagesRoute)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such route");
        }

        lock (_lock)
        {
            // Like the local host's: an order it never saw has no messages.
            var refunds = _orders.TryGetValue(id, out var order) ? [.. order.Refunds] : new List<Refund>();
            return Results.Ok(new { notifications = Array.Empty<object>(), refunds = refunds.Select(refund => new { refund.RefundId, refund.Amount, refund.Reason }) });
        }
    }

    /// <summary>Cancelled unpicked or expired uncollected: the held units go back (unless the fate keeps them), what is left is refunded.</summary>
    private void Compensate(Order order, string status)
    {
        if (order.Fate != FakeOrderFate.KeepsHold)
        {
            StockAt(order.StoreId, order.Sku).Reserved -= order.Held;
        }

        order.Held = 0;
        RefundOnce(order, $"{order.Id}:refund", order.Quantity * order.Price - order.Refunded, status);
        order.Next = (status, "Completed");
    }

    /// <summary>The payment side receives a refund, faithfully or as the order's fate garbles it.</summary>
    private static void RefundOnce(Order order, string refundId, decimal amount, string reason)
    {
        var paid = order.Fate == FakeOrderFate.RefundsCentShort ? amount - 0.01m : amount;
        order.Refunded += amount;
        order.Refunds.Add(new Refund(refundId, paid, reason));
        if (order.Fate == FakeOrderFate.RefundsTwice)
        {
            order.Refunds.Add(new Refund(refundId, paid, reason));
        }
    }

    /// <summary>
    /// The partial-pick contract: <c>{"lines":[{"sku","picked","substituteSku"?,"substituted"?}]}</c>, short units =
    /// ordered − picked − substituted, refunded at the line price; an empty body picks everything.
    /// </summary>
    private void PickShort(Order order, string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return;
        }

        var line = ((JsonArray)JsonNode.Parse(body)!["lines"]!).Single(line => (string?)line!["sku"] == order.Sku)!;
        var shortUnits = order.Quantity - (int)line["picked"]! - ((int?)line["substituted"] ?? 0);
        if (shortUnits <= 0)
        {
            return;
        }

        var stock = StockAt(order.StoreId, order.Sku);
        stock.Reserved -= shortUnits;
        if (ShortUnitsLeaveOnHand)
        {
            stock.OnHand -= shortUnits;
        }

        order.Held -= shortUnits;
        RefundOnce(order, $"{order.Id}:short", shortUnits * order.Price, "short");
    }

    private IResult Signal(string storeId, string id, string signal, string? body)
    {
        lock (_lock)
        {
            if (!_orders.TryGetValue(id, out var order) || order.StoreId != storeId)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"Order '{id}' at store '{storeId}' not found");
            }

            var finished = order.Status is "collected" or "rejected" || order.Fate == FakeOrderFate.PickRefused;
            var expected = signal == "picked" ? "reserved" : "ready";
            if (finished || order.Status != expected || order.Next is not null)
            {
                return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Order finished",
                    detail: string.Create(CultureInfo.InvariantCulture, $"Order '{id}' is {order.Status}; nothing waits for '{signal}'."));
            }

            order.Calls.Add(signal);
            if (signal == "picked")
            {
                order.PickBody = body ?? string.Empty;
                PickShort(order, order.PickBody);
                order.Next = order.Fate == FakeOrderFate.NeverReady ? null : ("ready", "Running");
            }
            else
            {
                var stock = StockAt(order.StoreId, order.Sku);
                stock.OnHand -= order.Held;
                stock.Reserved -= order.Held;
                order.Held = 0;
                order.Next = ("collected", "Running");
            }

            return Results.Accepted($"/api/orders/{id}");
        }
    }

    private Stock StockAt(string storeId, string sku)
    {
        if (!_stock.TryGetValue((storeId, sku), out var stock))
        {
            stock = new Stock();
            _stock.Add((storeId, sku), stock);
        }

        return stock;
    }

    private sealed class Stock
    {
        public int OnHand { get; set; }

        public int Reserved { get; set; }

        /// <summary>Adjusted but not yet shown (ingest lags).</summary>
        public int Pending { get; set; }
    }

    private sealed record Refund(string RefundId, decimal Amount, string Reason);

    private sealed class Order(string id, string storeId, string sku, int quantity, decimal price, FakeOrderFate fate)
    {
        public string Id => id;

        public string StoreId => storeId;

        public string Sku => sku;

        public int Quantity => quantity;

        public decimal Price => price;

        /// <summary>Units still held for the order.</summary>
        public int Held { get; set; } = fate == FakeOrderFate.Rejected ? 0 : quantity;

        /// <summary>What the backbone meant to refund so far (what a garbling fate changes is what the payment side sees).</summary>
        public decimal Refunded { get; set; }

        public List<Refund> Refunds { get; } = [];

        /// <summary>Reads since the order last changed, while it waits for the store or the customer.</summary>
        public int WaitingReads { get; set; }

        public string? PickBody { get; set; }

        public FakeOrderFate Fate => fate;

        public string Status { get; set; } = "placed";

        public string Workflow { get; set; } = "Pending";

        public (string Status, string Workflow)? Next { get; set; }

        public List<string> Calls { get; } = [];
    }
}
