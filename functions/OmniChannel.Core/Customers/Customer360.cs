using OmniChannel.Core.Events;
using OmniChannel.Core.Profiles;

namespace OmniChannel.Core.Customers;

/// <summary>What <c>GET /api/customers/{id}</c> answers.</summary>
public sealed record Customer360(
    string ProfileId,
    string? CustomerId,
    IReadOnlyList<string> Identities,
    ConsentState MarketingConsent,
    DateTimeOffset? ConsentChangedAt,
    JourneyStage JourneyStage,
    DateTimeOffset? StageChangedAt,
    string? LastChannel,
    string? LastStoreId,
    DateTimeOffset? FirstSeenAt,
    DateTimeOffset? LastSeenAt,
    IReadOnlyList<ActivityEntry> RecentActivity,
    IReadOnlyList<OpenOrder> OpenOrders,
    IReadOnlyList<Remarketing.CouponSummary> ActiveCoupons,
    IReadOnlyList<Remarketing.CouponSummary> RedeemedCoupons,
    IReadOnlyDictionary<string, ConsentRecord> Consents,
    IReadOnlyList<Remarketing.SaleAttribution> AttributedSales)
{
    public static Customer360 From(CustomerProfile profile) => new(
        profile.Id,
        profile.CustomerId,
        profile.Identities,
        profile.MarketingConsent,
        profile.ConsentChangedAt,
        profile.Stage,
        profile.StageChangedAt,
        profile.LastChannel,
        profile.LastStoreId,
        profile.FirstSeenAt,
        profile.LastSeenAt,
        profile.RecentActivity,
        profile.OpenOrders,
        profile.Coupons.Where(coupon => coupon.State == Remarketing.CouponState.Issued).ToList(),
        profile.Coupons.Where(coupon => coupon.State == Remarketing.CouponState.Redeemed).ToList(),
        profile.Consents,
        profile.AttributedSales);
}
