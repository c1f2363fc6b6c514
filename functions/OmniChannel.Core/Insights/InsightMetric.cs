namespace OmniChannel.Core.Insights;

/// <summary>
/// What a daily counter counts: a <see cref="Name"/> and, for counters kept per thing (a channel, a rule), its
/// <see cref="Subject"/>. The names are stored: never rename one.
/// </summary>
public readonly record struct InsightMetric(string Name, string? Subject = null)
{
    public const string EventsName = "events";
    public const string CouponsIssuedName = "coupons.issued";
    public const string CouponsRedeemedName = "coupons.redeemed";

    /// <summary>Events newly stored by ingest, per channel.</summary>
    public static InsightMetric Events(string channel) => new(EventsName, channel);

    public static InsightMetric CouponsIssued(string ruleId) => new(CouponsIssuedName, ruleId);

    public static InsightMetric CouponsRedeemed(string ruleId) => new(CouponsRedeemedName, ruleId);

    /// <summary>Pickup orders that became ready, with the time from placing to ready.</summary>
    public static InsightMetric PickupReady { get; } = new("pickup.ready");

    public static InsightMetric PickupCollected { get; } = new("pickup.collected");

    /// <summary>Ready orders that expired uncollected.</summary>
    public static InsightMetric PickupNoShow { get; } = new("pickup.noshow");

    /// <summary>Returns in store of collected pickup orders (counted when a return completes).</summary>
    public static InsightMetric PickupReturns { get; } = new("pickup.returns");

    /// <summary>Units those returns brought back.</summary>
    public static InsightMetric PickupReturnedUnits { get; } = new("pickup.returns.units");

    /// <summary>Price changes whose fan-out finished for the first time, with the time from accepted to finished.</summary>
    public static InsightMetric PriceChanges { get; } = new("prices.changes");

    public static InsightMetric PriceDelivered { get; } = new("prices.delivered");

    public static InsightMetric PriceFailed { get; } = new("prices.failed");

    /// <summary>Every metric's name.</summary>
    public static IReadOnlyList<string> AllNames { get; } =
    [
        EventsName, CouponsIssuedName, CouponsRedeemedName, PickupReady.Name, PickupCollected.Name, PickupNoShow.Name,
        PickupReturns.Name, PickupReturnedUnits.Name, PriceChanges.Name, PriceDelivered.Name, PriceFailed.Name,
    ];

    /// <summary>The names of the metrics whose samples carry a duration.</summary>
    public static IReadOnlyList<string> TimedNames { get; } = [PickupReady.Name, PriceChanges.Name];
}

/// <summary>One observation for a day's counter: <see cref="Count"/> to add and, for a timed metric, one duration for its histogram.</summary>
public sealed record InsightSample(DateOnly Day, InsightMetric Metric, long Count = 1, TimeSpan? Duration = null)
{
    /// <summary>The UTC day of a moment.</summary>
    public static DateOnly DayOf(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);
}

/// <summary>A day's counter as stored: the count and, for a timed metric, the histogram of its durations.</summary>
public sealed record DailyCounter(DateOnly Day, InsightMetric Metric, long Count, DurationHistogram? Histogram = null);
