namespace OmniChannel.Core.Remarketing;

public enum CouponState
{
    Issued,
    Redeemed,
    Expired,
}

/// <summary>
/// A coupon a rule issued: a unique, unguessable <see cref="Code"/> for one customer, valid at any store until
/// <see cref="ExpiresAt"/>, for the offer of <see cref="RuleId"/>; once redeemed, the sale it was used on (its id
/// <see cref="RedeemedSaleId"/>: the till's sale id, or the key of the ingested <c>omni.pos.sale</c>).
/// </summary>
public sealed record Coupon(
    string Code,
    string CustomerId,
    string RuleId,
    string StoreId,
    string? Sku,
    Offer Offer,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt,
    CouponState State,
    string InstanceId,
    DateTimeOffset? RedeemedAt = null,
    string? RedeemedStoreId = null,
    decimal? SaleTotal = null,
    string? RedeemedSaleId = null);

/// <summary>What happened to a code presented at a POS.</summary>
public enum RedeemOutcome
{
    Redeemed,
    AlreadyRedeemed,
    Expired,
    Unknown,
}

/// <summary>A coupon as the Customer 360 shows it: which rule, where, until when, and the attributed sale once redeemed.</summary>
public sealed record CouponSummary(string Code, string RuleId, string StoreId, string? Sku, CouponState State, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RedeemedAt, decimal? SaleTotal)
{
    public const int Limit = 10;

    public static CouponSummary From(Coupon coupon) =>
        new(coupon.Code, coupon.RuleId, coupon.StoreId, coupon.Sku, coupon.State, coupon.IssuedAt, coupon.ExpiresAt, coupon.RedeemedAt, coupon.SaleTotal);
}
