namespace OmniChannel.Core.Remarketing;

/// <summary>Whether a rule gave the customer a coupon or held them out (the control group).</summary>
public enum AttributionGroup
{
    Treated,
    HeldOut,
}

/// <summary>
/// A customer's window of attribution for a rule: from the signal it was treated on (or held out on) for
/// <see cref="RemarketingRule.AttributionDays"/> days; their sales in it count for the rule.
/// </summary>
public sealed record AttributionWindow(string RuleId, string CustomerId, AttributionGroup Group, DateTimeOffset Start, DateTimeOffset End)
{
    public bool Covers(DateTimeOffset at) => at >= Start && at < End;
}

/// <summary>A POS sale to attribute: its event key (so a redelivered sale counts once), time, total, and whether it redeemed the rule's coupon.</summary>
public sealed record SaleForAttribution(string SaleKey, DateTimeOffset At, decimal Amount, bool RedeemedRuleCoupon);

/// <summary>
/// One rule's group totals for the windows that started on one UTC day: customers (one per window), their sales
/// (count, sum and sum of squares of each customer's window total, so means and variances follow from counters) and
/// customers who redeemed the rule's coupon.
/// </summary>
public sealed record AttributionTotals(string RuleId, DateOnly Day, AttributionGroup Group, long Customers, long Purchases, long Redeemers, decimal Sales, decimal SalesSquares);

/// <summary>A sale the 360 shows as earned by a rule (in the treated or the held-out group).</summary>
public sealed record SaleAttribution(string SaleKey, string RuleId, AttributionGroup Group, DateTimeOffset At, decimal Amount)
{
    public const int Limit = 20;
}
