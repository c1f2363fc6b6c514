namespace OmniChannel.Simulation.Bopis;

/// <summary>How <see cref="BopisLoadRun"/> drives pickup orders through a backbone.</summary>
/// <param name="BaseUrl">The backbone's base address; requests go to <c>{BaseUrl}/api/...</c>.</param>
public sealed record BopisLoadOptions(Uri BaseUrl)
{
    /// <summary>Pickup orders to place: one unit each, two for the short ones.</summary>
    public int Orders { get; init; } = 200;

    /// <summary>Percent of the orders never picked, so the backbone cancels them (full refund, stock released).</summary>
    public decimal UnpickedPercent { get; init; }

    /// <summary>Percent of the orders placed for two units and picked one unit short (a refund of one unit), then collected.</summary>
    public decimal ShortPercent { get; init; }

    /// <summary>Percent of the orders picked but never collected, so the backbone expires them (full refund, stock released).</summary>
    public decimal NoShowPercent { get; init; }

    /// <summary>
    /// Whether the backbone books a pick's short units as found missing, so they leave on-hand too (true, the default:
    /// the partial pick writes them off, lest they be sold again as phantom stock); false expects them released back to
    /// available. The stock check's expectation follows this (<see cref="BopisExpectations.UnitsOffTheShelf"/>).
    /// </summary>
    public bool ShortUnitsLeaveOnHand { get; init; } = true;

    /// <summary>
    /// Whether to read each order's refunds from the local host's payment simulator
    /// (<c>GET /api/local/orders/{id}/messages</c>) and reconcile them; a backbone without that route cannot be checked.
    /// </summary>
    public bool CheckRefunds { get; init; } = true;

    /// <summary>At most this many orders in flight: placed and not yet collected, failed or given up.</summary>
    public int Concurrency { get; init; } = 50;

    /// <summary>The pickup store; it must offer pickup.</summary>
    public string StoreId { get; init; } = "0001";

    /// <summary>Sent as the <c>x-api-key</c> header of every request when set.</summary>
    public string? ApiKey { get; init; }

    /// <summary>
    /// Makes the run's order ids, customer ids, SKU and stock event id unique; null derives one from the clock, so
    /// runs against the same backbone never collide.
    /// </summary>
    public string? RunTag { get; init; }

    /// <summary>How often an order (and the stock) is read while waiting for it to move on.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(150);

    /// <summary>
    /// How long one order may take from placement to its final state before it counts as failed: unpicked and no-show
    /// orders need the backbone's pick SLA plus unpicked grace, or its pickup window, to pass first.
    /// </summary>
    public TimeSpan OrderTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the stock event may take to show in the store's inventory (and the final stock to settle).</summary>
    public TimeSpan StockTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Attempts per POST, the first one included, while the server answers 429 or 503 (back-pressure: nothing was
    /// done). Placing an order is idempotent, so it is also re-sent after a network error; a signal is not.
    /// </summary>
    public int MaxAttempts { get; init; } = 10;

    /// <summary>The wait before re-sending a POST when a 429/503 has no usable <c>Retry-After</c>.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait before a re-send, whatever <c>Retry-After</c> says.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often progress is reported.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How many failure descriptions the summary keeps (plus the first of any step not yet described); the first ones usually explain the rest.</summary>
    public int KeptFailures { get; init; } = 5;
}
