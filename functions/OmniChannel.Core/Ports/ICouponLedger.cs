using OmniChannel.Core.Remarketing;

namespace OmniChannel.Core.Ports;

/// <summary>What <see cref="ICouponLedger.IssueAsync"/> did, with the coupon that stands for the instance (null when the cap was full or the budget spent).</summary>
public sealed record IssueResult(IssueOutcome Outcome, Coupon? Coupon);

public enum IssueOutcome
{
    Issued,

    /// <summary>The instance's coupon was issued before (a retried step); the first one stands.</summary>
    AlreadyIssued,

    /// <summary>The customer has as many coupons in the cap's window as it allows; nothing was recorded.</summary>
    CapReached,

    /// <summary>The rule's daily budget of coupons is spent for the coupon's day (UTC); nothing was recorded.</summary>
    BudgetSpent,
}

/// <summary>Every coupon issued, by code and by customer; redemption is a conditional write, so a code is redeemed at most once.</summary>
public interface ICouponLedger
{
    Task<Coupon?> GetAsync(string code, CancellationToken cancellationToken);

    /// <summary>The coupon an orchestration instance issued, if it did (so a retried issue step issues nothing new).</summary>
    Task<Coupon?> FindByInstanceAsync(string customerId, string instanceId, CancellationToken cancellationToken);

    /// <summary>
    /// Records a new coupon (the code must be new) if the customer's coupons issued in the last
    /// <see cref="FrequencyCap.PerDays"/> days, every rule's, are fewer than <see cref="FrequencyCap.Coupons"/> (no cap:
    /// always). The check and the record are one atomic step, so concurrent issues for one customer never pass a cap
    /// together. Idempotent by the coupon's instance: when that instance's coupon is recorded already, nothing new is
    /// and the answer is <see cref="IssueOutcome.AlreadyIssued"/> with the first coupon. With a
    /// <paramref name="dailyBudget"/>, at most that many coupons of the coupon's rule are issued on the coupon's day
    /// (its <see cref="Coupon.IssuedAt"/> as a UTC date), also under concurrency (<see cref="IssueOutcome.BudgetSpent"/>
    /// otherwise); a coupon the cap refuses uses none of it.
    /// </summary>
    Task<IssueResult> IssueAsync(Coupon coupon, FrequencyCap? cap, int? dailyBudget, CancellationToken cancellationToken);

    /// <summary>How many of the rule's daily budget slots are used on <paramref name="day"/> (a UTC date); 0 when none.</summary>
    Task<int> DailyBudgetUsedAsync(string ruleId, DateOnly day, CancellationToken cancellationToken);

    /// <summary>The customer's coupons issued at or after <paramref name="since"/>, newest first.</summary>
    Task<IReadOnlyList<Coupon>> ForCustomerAsync(string customerId, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the coupon redeemed on this sale if the sale was made at or before its expiry (<paramref name="at"/> is the
    /// sale's time, so a sale made before the expiry and ingested after it still counts, also once the coupon was
    /// marked expired); of two sales racing with one code exactly one wins. Idempotent by <paramref name="saleId"/>: the
    /// sale that redeemed it is answered <see cref="RedeemOutcome.Redeemed"/> again. Answers the outcome and the coupon
    /// as it now stands.
    /// </summary>
    Task<(RedeemOutcome Outcome, Coupon? Coupon)> RedeemAsync(string code, string saleId, string storeId, decimal saleTotal, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Marks an issued coupon expired (idempotent; a redeemed one stays redeemed).</summary>
    Task ExpireAsync(string code, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes every coupon of the customer (the code rows and the customer's index), for erasure; answers how many
    /// coupons it deleted. A code row goes before the index row that leads to it, so a retry finds what is left.
    /// </summary>
    Task<int> EraseCustomerAsync(string customerId, CancellationToken cancellationToken);
}
