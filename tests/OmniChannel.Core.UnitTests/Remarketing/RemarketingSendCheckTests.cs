using OmniChannel.Core.Remarketing;
using OmniChannel.Core.Stores;
using OmniChannel.Core.UnitTests.Builders;
using static OmniChannel.Core.UnitTests.Remarketing.RemarketingTestData;

namespace OmniChannel.Core.UnitTests.Remarketing;

/// <summary>The check at the moment of sending a coupon's push, for a rule that sends only while the store is open.</summary>
public sealed class RemarketingSendCheckTests
{
    private const string Code = "OC-AAAA-BBBB-CC";

    // The fake clock's now, 2026-11-25 12:00 UTC, is 07:00 in New York: a 09:00–21:00 store opens in two hours.
    private static readonly OpeningHours NineToNine = OpeningHours.Weekly(new DayHours(new(9, 0), new(21, 0)), new DayHours(new(9, 0), new(21, 0)));

    private readonly RemarketingTestData _data = new();

    private async Task<SendCheck> CheckAsync(RemarketingRule rule, OpeningHours? hours, int validHours = 48)
    {
        _data.Stores.Seed(Near with { OpeningHours = hours });
        _data.Rules.Seed(rule);
        _data.SeedCustomer();
        await _data.Coupons.IssueAsync(
            new Coupon(Code, CustomerId, rule.Id, Near.Id, "SKU-1", rule.Offer, TestClock.Now, TestClock.Now.AddHours(validHours), CouponState.Issued, "remarketing-evt-1"),
            null, null, CancellationToken.None);
        return await _data.Service.CheckSendAsync(new SendCheckRequest(CustomerId, Code, rule.Id, Near.TimeZone), CancellationToken.None);
    }

    private async Task<CouponState?> StateAsync() => (await _data.Coupons.GetAsync(Code, CancellationToken.None))?.State;

    [Fact]
    public async Task CheckSend_StoreClosedAndTheRuleWaits_WaitsUntilItOpens()
    {
        var check = await CheckAsync(GeofenceRule() with { OnlyWhenStoreOpen = true, AtSendInQuietHours = QuietHoursAtSend.Wait }, NineToNine);

        Assert.Equal((SendVerdict.Wait, TimeSpan.FromHours(2)), (check.Verdict, check.WaitFor));
        Assert.Contains("is closed at 07:00 on its clock (opens 09:00)", check.Reason, StringComparison.Ordinal);
        Assert.Equal(CouponState.Issued, await StateAsync());
    }

    [Fact]
    public async Task CheckSend_StoreClosedAndTheRuleDrops_IsWithheldAndTheCouponVoided()
    {
        var check = await CheckAsync(GeofenceRule() with { OnlyWhenStoreOpen = true }, NineToNine);

        Assert.Equal(SendVerdict.Withhold, check.Verdict);
        Assert.Contains("only while the store is open", check.Reason, StringComparison.Ordinal);
        Assert.Equal(CouponState.Expired, await StateAsync());
    }

    [Fact]
    public async Task CheckSend_StoreOpensOnlyAfterTheCouponExpires_IsWithheldEvenWhenTheRuleWaits()
    {
        var check = await CheckAsync(GeofenceRule() with { OnlyWhenStoreOpen = true, AtSendInQuietHours = QuietHoursAtSend.Wait }, NineToNine, validHours: 1);

        Assert.Equal(SendVerdict.Withhold, check.Verdict);
        Assert.Equal(CouponState.Expired, await StateAsync());
    }

    [Fact]
    public async Task CheckSend_StoreOpen_OrHoursUnknown_OrTheRuleIgnoresHours_IsSent()
    {
        Assert.Equal(SendVerdict.Send, (await CheckAsync(GeofenceRule() with { OnlyWhenStoreOpen = true }, null)).Verdict);
        _data.Clock.Advance(TimeSpan.FromHours(3)); // 10:00 in New York
        Assert.Equal(SendVerdict.Send, (await CheckAsync(GeofenceRule() with { OnlyWhenStoreOpen = true }, NineToNine)).Verdict);
        _data.Clock.Advance(TimeSpan.FromHours(12)); // 22:00
        Assert.Equal(SendVerdict.Send, (await CheckAsync(GeofenceRule(), NineToNine)).Verdict);
    }
}
