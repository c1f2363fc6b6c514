using System.Globalization;
using OmniChannel.Core.Identity;
using OmniChannel.Core.Ports;

namespace OmniChannel.Core.Remarketing;

/// <summary>What a till asks about a code: at which store, for whom (any of the customer's identifiers), on what basket, when.</summary>
public sealed record TillRequest(string StoreId, IdentitySet Customer, decimal BasketTotal, DateTimeOffset At);

/// <summary>The till's answer: the verdict, its reason in words a cashier can say, and the discount on the basket when it applies.</summary>
public sealed record TillAnswer(TillVerdict Verdict, string Reason, decimal Discount, Coupon? Coupon)
{
    public bool Valid => Verdict is TillVerdict.Valid or TillVerdict.Redeemed;
}

public enum TillVerdict
{
    /// <summary>The code may be used on this basket (validation).</summary>
    Valid,

    /// <summary>Redeemed on this sale (also when this same sale redeemed it before).</summary>
    Redeemed,

    UnknownCode,

    /// <summary>No identifier of the customer came with the request: a coupon is its customer's own.</summary>
    NoCustomer,

    NotThisCustomer,

    /// <summary>The sale is after the coupon's expiry.</summary>
    Expired,

    /// <summary>Another sale redeemed it.</summary>
    AlreadyRedeemed,

    BelowMinimumSpend,
}

/// <summary>
/// Coupons at the till, one implementation for the online till API (<c>POST /api/coupons/{code}/validate|redeem</c>)
/// and for offline tills whose <c>omni.pos.sale</c> carries the code (ingest): the code must be the customer's (their
/// identifiers resolve through the identity graph to the coupon's customer), unexpired at the sale's own time, not
/// redeemed by another sale, and the basket at least the offer's minimum spend. Redemption is idempotent by sale id.
/// A sale from ingest that cannot redeem is recorded as a conflict for ops, since an offline till could not be refused.
/// </summary>
public sealed class CouponTill(ICouponLedger coupons, PersonResolver people, RemarketingService remarketing, IWorkflowClient workflows, ICouponConflictLog conflicts)
{
    public async Task<TillAnswer> ValidateAsync(string code, TillRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await CheckAsync(code, saleId: null, request, cancellationToken);
    }

    /// <summary>Redeems the code on the sale <paramref name="saleId"/> when it is valid; of two sales racing, one wins and the other is told.</summary>
    public async Task<TillAnswer> RedeemAsync(string code, string saleId, TillRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var check = await CheckAsync(code, saleId, request, cancellationToken);
        if (check.Verdict is not (TillVerdict.Valid or TillVerdict.Redeemed))
        {
            return check;
        }

        var (outcome, coupon) = await remarketing.RedeemAsync(code, saleId, request.StoreId, request.BasketTotal, request.At, cancellationToken);
        var answer = outcome switch
        {
            RedeemOutcome.Redeemed => check with { Verdict = TillVerdict.Redeemed, Reason = "Redeemed on this sale.", Coupon = coupon },
            RedeemOutcome.AlreadyRedeemed => Refused(TillVerdict.AlreadyRedeemed, coupon),
            RedeemOutcome.Expired => Refused(TillVerdict.Expired, coupon),
            _ => Refused(TillVerdict.UnknownCode, coupon),
        };
        if (answer.Verdict == TillVerdict.Redeemed)
        {
            // Also on a repeat of this sale: the coupon's instance may not have heard yet (it ignores a second word).
            await workflows.RaiseEventAsync(coupon!.InstanceId, RemarketingWorkflow.RedeemedEvent, null, cancellationToken);
        }

        return answer;
    }

    /// <summary>An ingested sale with a code: redeems it, or records why not (the till was offline and could not be refused).</summary>
    public async Task<TillAnswer> RedeemFromSaleAsync(string code, string saleId, TillRequest request, CancellationToken cancellationToken)
    {
        var answer = await RedeemAsync(code, saleId, request, cancellationToken);
        if (!answer.Valid)
        {
            await conflicts.RecordAsync(
                new CouponConflict(code, saleId, request.StoreId, request.At, request.BasketTotal, answer.Verdict, answer.Reason, DateTimeOffset.UtcNow),
                cancellationToken);
        }

        return answer;
    }

    /// <summary>The discount the offer gives on a basket, to the cent: a share of it, or the amount off (never more than the basket).</summary>
    public static decimal DiscountOn(Offer offer, decimal basketTotal)
    {
        ArgumentNullException.ThrowIfNull(offer);
        return offer.Kind == OfferKind.Percent
            ? decimal.Round(basketTotal * offer.Value / 100m, 2, MidpointRounding.AwayFromZero)
            : Math.Min(offer.Value, basketTotal);
    }

    private async Task<TillAnswer> CheckAsync(string code, string? saleId, TillRequest request, CancellationToken cancellationToken)
    {
        if (await coupons.GetAsync(code, cancellationToken) is not { } coupon)
        {
            return Refused(TillVerdict.UnknownCode, null);
        }

        if (request.Customer.IsEmpty)
        {
            return Refused(TillVerdict.NoCustomer, null);
        }

        if (await people.CustomerIdAsync(request.Customer, cancellationToken) != coupon.CustomerId)
        {
            // Nothing about the coupon's owner is told to whoever presents someone else's code.
            return Refused(TillVerdict.NotThisCustomer, null);
        }

        if (saleId is not null && CouponRedemption.Judge(coupon, saleId, request.At) == RedeemOutcome.Redeemed)
        {
            return new TillAnswer(TillVerdict.Redeemed, "Redeemed on this sale.", DiscountOn(coupon.Offer, coupon.SaleTotal ?? request.BasketTotal), coupon);
        }

        if (coupon.State == CouponState.Redeemed)
        {
            return Refused(TillVerdict.AlreadyRedeemed, coupon);
        }

        if (request.At > coupon.ExpiresAt)
        {
            return Refused(TillVerdict.Expired, coupon);
        }

        if (request.BasketTotal < coupon.Offer.MinSpend)
        {
            return Refused(TillVerdict.BelowMinimumSpend, coupon);
        }

        return new TillAnswer(TillVerdict.Valid, "Valid on this basket.", DiscountOn(coupon.Offer, request.BasketTotal), coupon);
    }

    private static TillAnswer Refused(TillVerdict verdict, Coupon? coupon) => new(verdict, ReasonFor(verdict, coupon), 0m, coupon is null || verdict == TillVerdict.NotThisCustomer ? null : coupon);

    private static string ReasonFor(TillVerdict verdict, Coupon? coupon) => verdict switch
    {
        TillVerdict.UnknownCode => "No coupon has this code.",
        TillVerdict.NoCustomer => "Scan the customer's loyalty card or app: a coupon can only be used by the customer it was given to.",
        TillVerdict.NotThisCustomer => "This coupon was given to another customer.",
        TillVerdict.Expired => string.Create(CultureInfo.InvariantCulture, $"The coupon expired at {coupon!.ExpiresAt:yyyy-MM-dd HH:mm} UTC."),
        TillVerdict.AlreadyRedeemed => string.Create(CultureInfo.InvariantCulture, $"The coupon was already used on another sale at store {coupon!.RedeemedStoreId} ({coupon.RedeemedAt:yyyy-MM-dd HH:mm} UTC)."),
        TillVerdict.BelowMinimumSpend => string.Create(CultureInfo.InvariantCulture, $"The basket must come to at least {coupon!.Offer.MinSpend:0.00}."),
        _ => verdict.ToString(),
    };
}
