namespace OmniChannel.Core.Remarketing;

/// <summary>
/// Whether a sale may redeem a coupon as it stands, for every ledger: the sale's own time against the expiry (an
/// expired mark set by the workflow's timer does not refuse a sale made before it), and a redeemed coupon answers its
/// own sale again (idempotent by sale id) and refuses any other.
/// </summary>
public static class CouponRedemption
{
    /// <summary>The outcome when the sale cannot change the coupon (null: it may redeem it now).</summary>
    public static RedeemOutcome? Judge(Coupon coupon, string saleId, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(coupon);
        if (coupon.State == CouponState.Redeemed)
        {
            return coupon.RedeemedSaleId == saleId ? RedeemOutcome.Redeemed : RedeemOutcome.AlreadyRedeemed;
        }

        return at > coupon.ExpiresAt ? RedeemOutcome.Expired : null;
    }

    public static Coupon Redeemed(Coupon coupon, string saleId, string storeId, decimal saleTotal, DateTimeOffset at) =>
        coupon with { State = CouponState.Redeemed, RedeemedAt = at, RedeemedStoreId = storeId, SaleTotal = saleTotal, RedeemedSaleId = saleId };
}
