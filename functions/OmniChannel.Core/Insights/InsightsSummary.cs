namespace OmniChannel.Core.Insights;

/// <summary>
/// What <c>GET /api/insights/summary?from=&amp;to=</c> answers: the KPIs of the backbone per UTC day over a period
/// (both days inclusive). Durations are in seconds; a percentile is null when there was nothing to measure.
/// </summary>
public sealed record InsightsSummary(DateOnly From, DateOnly To, CouponInsights Coupons, PickupInsights Pickup, PriceInsights Prices, IngestInsights Events, IReadOnlyList<RuleUplift>? Uplift = null);

/// <summary>
/// A rule's measured effect for the attribution windows that started in the period: the treated group (coupon issued)
/// against the held-out group (would have fired), sales per customer in the window, and the uplift (treated minus held
/// out, per customer) with its 95 % confidence interval — null until each group has two customers.
/// </summary>
/// <param name="RuleName">The rule's current name.</param>
/// <param name="RedemptionRate">Treated customers who redeemed the rule's coupon ÷ treated customers.</param>
public sealed record RuleUplift(
    string RuleId,
    string RuleName,
    int HoldoutPercent,
    int AttributionDays,
    GroupSales Treated,
    GroupSales HeldOut,
    double RedemptionRate,
    double? Uplift,
    double? UpliftLow,
    double? UpliftHigh);

/// <summary>One group of a rule: customers (one per window), their purchases and sales, sales per customer, and the sum of squares the interval comes from.</summary>
public sealed record GroupSales(long Customers, long Purchases, long Redeemers, decimal Sales, double? SalesPerCustomer, decimal SalesSquares);

public sealed record CouponInsights(long Issued, long Redeemed, double RedemptionRate, IReadOnlyList<DailyCoupons> PerDay, IReadOnlyList<RuleCoupons> PerRule);

public sealed record DailyCoupons(DateOnly Day, long Issued, long Redeemed);

/// <param name="RuleName">The rule's current name, or null when the rule has been deleted since.</param>
public sealed record RuleCoupons(string RuleId, string? RuleName, long Issued, long Redeemed, double RedemptionRate);

/// <param name="NoShows">Orders that expired uncollected.</param>
/// <param name="Returns">Returns in store of collected orders, and <paramref name="ReturnedUnits"/> the units they brought back.</param>
public sealed record PickupInsights(long OrdersReady, double? ReadyP50Seconds, double? ReadyP90Seconds, long Collected, long NoShows, double NoShowRate, IReadOnlyList<DailyPickup> PerDay, long Returns = 0, long ReturnedUnits = 0);

public sealed record DailyPickup(DateOnly Day, long Ready, long Collected, long NoShows, double? ReadyP50Seconds, double? ReadyP90Seconds, long Returns = 0, long ReturnedUnits = 0);

/// <param name="PropagationP50Seconds">From a change being accepted to its last subscriber delivered (or given up).</param>
public sealed record PriceInsights(long Changes, double? PropagationP50Seconds, double? PropagationP90Seconds, long DeliveriesSucceeded, long DeliveriesFailed, IReadOnlyList<DailyPrices> PerDay);

public sealed record DailyPrices(DateOnly Day, long Changes, long DeliveriesSucceeded, long DeliveriesFailed, double? PropagationP90Seconds);

public sealed record IngestInsights(long Events, IReadOnlyList<ChannelCount> PerChannel, IReadOnlyList<DailyChannelCount> PerDay);

public sealed record ChannelCount(string Channel, long Events);

public sealed record DailyChannelCount(DateOnly Day, string Channel, long Events);
