using System.Text.RegularExpressions;
using OmniChannel.Core.Events;
using OmniChannel.Core.Insights;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Remarketing;
using OmniChannel.Core.UnitTests.Builders;
using static OmniChannel.Core.UnitTests.Remarketing.RemarketingTestData;

namespace OmniChannel.Core.UnitTests.Remarketing;

public sealed partial class RemarketingServiceTests
{
    private readonly RemarketingTestData _data = new();

    private RemarketingService Service => _data.Service;

    // ---- DecideAsync ----

    [Fact]
    public async Task Decide_Geofence_PicksTheNearestStoreInRadiusThatHasAViewedSku_SkippingANearerOneWithoutStock()
    {
        _data.Rules.Seed(GeofenceRule());
        _data.SeedCustomer(["SKU-1"]);
        _data.Inventory.Stock(Near.Id, "SKU-1", 0);
        _data.Inventory.Stock(Mid.Id, "SKU-1", 3);
        _data.Inventory.Stock(Far.Id, "SKU-1", 9);

        var decision = await Service.DecideAsync(Geofence(), CancellationToken.None);

        Assert.True(decision.Fires, decision.Reason);
        Assert.Equal(
            new RemarketingGrant("walk-in", "Rule walk-in", Mid.Id, Mid.Name, "SKU-1", GeofenceRule().Offer, "America/New_York"),
            decision.Grant);
        Assert.Contains(Mid.Id, decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decide_Geofence_TheNearestStoreHasAnOlderViewInStock_TheCouponIsForThatProductThere()
    {
        _data.Rules.Seed(GeofenceRule());
        _data.SeedCustomer(["SKU-1", "SKU-2"]); // SKU-2 viewed last
        _data.Inventory.Stock(Near.Id, "SKU-1", 2);
        _data.Inventory.Stock(Mid.Id, "SKU-2", 2);

        var grant = await _data.GrantAsync();

        Assert.Equal((Near.Id, "SKU-1"), (grant.StoreId, grant.Sku));
    }

    [Fact]
    public async Task Decide_GeofenceRuleForASku_IsForThatSkuAtTheNearestStoreThatHasIt()
    {
        _data.Rules.Seed(GeofenceRule() with { Conditions = RuleConditions.Any with { Skus = ["SKU-2"] } });
        _data.SeedCustomer(["SKU-2", "SKU-3"]); // SKU-3 viewed last
        _data.Inventory.Stock(Near.Id, "SKU-3", 5);
        _data.Inventory.Stock(Mid.Id, "SKU-3", 5);
        _data.Inventory.Stock(Mid.Id, "SKU-2", 5);

        var grant = await _data.GrantAsync();

        Assert.Equal((Mid.Id, "SKU-2"), (grant.StoreId, grant.Sku));
    }

    [Fact]
    public async Task Decide_AbandonedCartRuleForASku_NoStoreHasThatSku_NoCoupon()
    {
        _data.Rules.Seed(GeofenceRule() with { Signal = RemarketingSignal.CartAbandoned, Conditions = RuleConditions.Any with { Skus = ["SKU-2"] } });
        _data.SeedCustomer(lastStoreId: Near.Id);
        _data.Inventory.Stock(Near.Id, "SKU-1", 5);
        var cart = new RemarketingInput(CustomerId, "evt-3", RemarketingSignal.CartAbandoned, TestClock.Now, ["SKU-1", "SKU-2"], null, null, null, null);

        var decision = await Service.DecideAsync(cart, CancellationToken.None);

        Assert.Null(decision.Grant);
    }

    [Fact]
    public async Task Decide_Geofence_ReservedStockIsNotAvailable_TheNextStoreWins()
    {
        _data.Rules.Seed(GeofenceRule());
        _data.SeedCustomer(["SKU-1"]);
        _data.Inventory.Stock(Near.Id, "SKU-1", 1);
        var item = _data.Inventory.Get(Near.Id, "SKU-1");
        item.Reserved = 1;
        var stored = await _data.Inventory.ReadAsync(Near.Id, "SKU-1", CancellationToken.None);
        await _data.Inventory.SaveAsync(item, stored!.ETag, CancellationToken.None);
        _data.Inventory.Stock(Mid.Id, "SKU-1", 1);

        var grant = await _data.GrantAsync();

        Assert.Equal(Mid.Id, grant.StoreId);
    }

    [Fact]
    public async Task Decide_OnlineView_MeasuresFromTheCustomersUsualStore()
    {
        _data.Rules.Seed(GeofenceRule() with { Id = "viewed", Signal = RemarketingSignal.ProductViewed, RadiusMeters = 1000 });
        _data.SeedCustomer(["SKU-1"], lastStoreId: Brooklyn.Id);
        _data.Inventory.Stock(Near.Id, "SKU-7", 5);         // in stock in Manhattan, ~9 km from Brooklyn
        _data.Inventory.Stock(BrooklynMall.Id, "SKU-7", 5); // ~200 m from the usual store

        var decision = await Service.DecideAsync(OnlineView("SKU-7"), CancellationToken.None);

        Assert.True(decision.Fires, decision.Reason);
        Assert.Equal((BrooklynMall.Id, "SKU-7", "viewed"), (decision.Grant!.StoreId, decision.Grant.Sku, decision.Grant.RuleId));
    }

    [Fact]
    public async Task Decide_OnlineViewOfACustomerWithoutAUsualStore_NoStoreIsLocated()
    {
        _data.Rules.Seed(GeofenceRule() with { Signal = RemarketingSignal.ProductViewed });
        _data.SeedCustomer(["SKU-1"], lastStoreId: null);
        _data.Inventory.Stock(Near.Id, "SKU-7", 5);

        var decision = await Service.DecideAsync(OnlineView("SKU-7"), CancellationToken.None);

        Assert.False(decision.Fires);
        Assert.Contains("No store location is known", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decide_NoEnabledRuleListensToTheSignal_SaysSo()
    {
        _data.Rules.Seed(GeofenceRule("off") with { Enabled = false }, GeofenceRule("cart") with { Signal = RemarketingSignal.CartAbandoned });
        _data.SeedCustomer();
        _data.Inventory.Stock(Near.Id, "SKU-1", 5);

        var decision = await Service.DecideAsync(Geofence(), CancellationToken.None);

        Assert.Null(decision.Grant);
        Assert.Equal("No enabled rule listens to geofence.entered.", decision.Reason);
    }

    [Fact]
    public async Task Decide_ConsentRevoked_NoCouponAndTheReasonSaysWhy()
    {
        _data.Rules.Seed(GeofenceRule());
        _data.SeedCustomer(consent: ConsentState.Revoked);
        _data.Inventory.Stock(Near.Id, "SKU-1", 5);

        var decision = await Service.DecideAsync(Geofence(), CancellationToken.None);

        Assert.Null(decision.Grant);
        Assert.Contains("revoked marketing consent", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decide_CapReachedByAnotherRulesCoupon_NoCouponAndTheReasonSaysWhy()
    {
        _data.Rules.Seed(GeofenceRule());
        _data.SeedCustomer();
        _data.Inventory.Stock(Near.Id, "SKU-1", 5);
        await _data.Coupons.IssueAsync(IssuedCoupon("OC-AAAA-BBBB-CC", "other-rule", TestClock.Now.AddDays(-2)), null, null, CancellationToken.None);

        var decision = await Service.DecideAsync(Geofence(), CancellationToken.None);

        Assert.Null(decision.Grant);
        Assert.Contains("Frequency cap reached", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decide_TheRulesDailyBudgetSpent_NoCouponAndTheReasonSaysSo()
    {
        _data.Rules.Seed(GeofenceRule() with { DailyBudget = 1 });
        _data.SeedCustomer();
        _data.Inventory.Stock(Near.Id, "SKU-1", 5);
        await _data.Coupons.IssueAsync(IssuedCoupon("OC-AAAA-BBBB-CC", "walk-in", _data.Clock.GetUtcNow()) with { CustomerId = "someone-else" }, null, 1, CancellationToken.None);

        var decision = await Service.DecideAsync(Geofence(), CancellationToken.None);
        var simulated = await Service.ExplainAsync(Geofence(), GeofenceRule() with { DailyBudget = 1 }, CancellationToken.None);

        Assert.Null(decision.Grant);
        Assert.Contains("the rule's daily budget of 1 coupon(s) is spent", decision.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(RuleReason.DailyBudgetSpent, simulated.Reason);
    }

    [Fact]
    public async Task Decide_CouponOutsideTheCapWindow_DoesNotCount()
    {
        _data.Rules.Seed(GeofenceRule());
        _data.SeedCustomer();
        _data.Inventory.Stock(Near.Id, "SKU-1", 5);
        await _data.Coupons.IssueAsync(IssuedCoupon("OC-AAAA-BBBB-CC", "walk-in", TestClock.Now.AddDays(-8)), null, null, CancellationToken.None);

        var decision = await Service.DecideAsync(Geofence(), CancellationToken.None);

        Assert.True(decision.Fires, decision.Reason);
    }

    [Fact]
    public async Task Decide_NoStoreWithinTheRadius_SaysSoWithTheRadius()
    {
        _data.Rules.Seed(GeofenceRule());
        _data.SeedCustomer(["SKU-1"]);
        _data.Inventory.Stock(Far.Id, "SKU-1", 5); // 2 km away; the nearer stores have none

        var decision = await Service.DecideAsync(Geofence(), CancellationToken.None);

        Assert.Null(decision.Grant);
        Assert.Contains("within 500 m", decision.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("No store location is known", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decide_GeofenceFarFromEveryStore_NoCouponAndTheReasonNamesTheRadius()
    {
        _data.Rules.Seed(GeofenceRule());
        _data.SeedCustomer(["SKU-1"]);
        _data.Inventory.Stock(Near.Id, "SKU-1", 5);

        var decision = await Service.DecideAsync(Geofence(lat: 41.5, lon: -74.006), CancellationToken.None);

        Assert.Null(decision.Grant);
        Assert.Contains("within 500 m", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_ADisabledRuleFarFromEveryStore_SaysNoStoreIsWithinItsRadius()
    {
        _data.SeedCustomer(["SKU-1"]);
        _data.Inventory.Stock(Far.Id, "SKU-1", 5);
        var rule = GeofenceRule() with { Enabled = false };

        var far = await Service.ExplainAsync(Geofence(), rule, CancellationToken.None);
        var wider = await Service.ExplainAsync(Geofence(), rule with { RadiusMeters = 3000 }, CancellationToken.None);

        Assert.Equal(RuleReason.NoStoreInRadius, far.Reason);
        Assert.Equal("No store within 500 m has SKU-1 available.", far.Explanation);
        Assert.Equal((RuleReason.Fired, Far.Id), (wider.Reason, wider.StoreId));
    }

    [Fact]
    public async Task Decide_NoCustomer360_SaysSo()
    {
        _data.Rules.Seed(GeofenceRule());
        _data.Inventory.Stock(Near.Id, "SKU-1", 5);

        var decision = await Service.DecideAsync(Geofence(), CancellationToken.None);

        Assert.Null(decision.Grant);
        Assert.Contains("no Customer 360", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decide_ProfileMergedIntoAnother_FollowsTheLinkToTheSurvivor()
    {
        _data.Rules.Seed(GeofenceRule());
        var survivor = _data.SeedCustomer(["SKU-1"]);
        survivor.Id = "device:d-1";
        _data.Profiles.Seed(survivor);
        _data.Profiles.Update(ProfileId, profile => profile.MergedInto = "device:d-1");
        await _data.Links.WriteLinksAsync([new(ProfileId, "device:d-1")], CancellationToken.None);
        _data.Inventory.Stock(Near.Id, "SKU-1", 5);

        var grant = await _data.GrantAsync();

        Assert.Equal(Near.Id, grant.StoreId);
    }

    // ---- IssueAsync ----

    [Fact]
    public async Task Issue_AGrant_IssuesAnUnguessableCodeUntilValidHoursAndShowsItInTheCustomer360()
    {
        _data.Rules.Seed(GeofenceRule());
        _data.SeedCustomer(["SKU-1"]);
        _data.Inventory.Stock(Near.Id, "SKU-1", 5);
        var grant = await _data.GrantAsync();
        _data.Clock.Advance(TimeSpan.FromSeconds(3));
        var issuedAt = _data.Clock.GetUtcNow();

        var coupon = await Service.IssueAsync(Geofence(), grant, "remarketing-evt-1", CancellationToken.None);

        Assert.NotNull(coupon);
        Assert.Matches(CodePattern(), coupon.Code);
        Assert.Equal(
            (CustomerId, "walk-in", Near.Id, "SKU-1", CouponState.Issued, "remarketing-evt-1", issuedAt, issuedAt.AddHours(48)),
            (coupon.CustomerId, coupon.RuleId, coupon.StoreId, coupon.Sku, coupon.State, coupon.InstanceId, coupon.IssuedAt, coupon.ExpiresAt));
        Assert.Equal(grant.Offer, coupon.Offer);
        Assert.Equal(coupon, _data.Coupons.Get(coupon.Code));
        var shown = Assert.Single(_data.Profile.Coupons);
        Assert.Equal(CouponSummary.From(coupon), shown);
    }

    [Fact]
    public async Task Issue_RepeatedForTheSameInstance_AnswersTheSameCouponAndIssuesNothingNew()
    {
        _data.Rules.Seed(GeofenceRule() with { FrequencyCap = new FrequencyCap(5, 7) });
        _data.SeedCustomer();
        _data.Inventory.Stock(Near.Id, "SKU-1", 5);
        var grant = await _data.GrantAsync();

        var first = await Service.IssueAsync(Geofence(), grant, "remarketing-evt-1", CancellationToken.None);
        _data.Clock.Advance(TimeSpan.FromMinutes(1));
        var again = await Service.IssueAsync(Geofence(), grant, "remarketing-evt-1", CancellationToken.None);

        Assert.NotNull(first);
        Assert.Equal(first, again);
        Assert.Single(_data.Coupons.All);
        Assert.Single(_data.Profile.Coupons);
        Assert.Equal([new InsightSample(InsightSample.DayOf(first.IssuedAt), InsightMetric.CouponsIssued("walk-in"))], _data.Insights.Samples);
    }

    [Fact]
    public async Task Issue_ConsentRevokedAfterTheDecision_IssuesNothing()
    {
        _data.Rules.Seed(GeofenceRule());
        _data.SeedCustomer();
        _data.Inventory.Stock(Near.Id, "SKU-1", 5);
        var grant = await _data.GrantAsync();
        _data.Profiles.Update(ProfileId, profile => profile.MarketingConsent = ConsentState.Revoked);

        var coupon = await Service.IssueAsync(Geofence(), grant, "remarketing-evt-1", CancellationToken.None);

        Assert.Null(coupon);
        Assert.Empty(_data.Coupons.All);
        Assert.Empty(_data.Profile.Coupons);
    }

    [Fact]
    public async Task Issue_TwoSignalsDecidedTogether_TheCapFilledByTheFirstWithholdsTheSecond()
    {
        _data.Rules.Seed(GeofenceRule());
        _data.SeedCustomer();
        _data.Inventory.Stock(Near.Id, "SKU-1", 5);
        var firstGrant = await _data.GrantAsync(Geofence("evt-1"));
        var secondGrant = await _data.GrantAsync(Geofence("evt-2"));

        var first = await Service.IssueAsync(Geofence("evt-1"), firstGrant, "remarketing-evt-1", CancellationToken.None);
        var second = await Service.IssueAsync(Geofence("evt-2"), secondGrant, "remarketing-evt-2", CancellationToken.None);

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Equal([first.Code], _data.Coupons.All.Select(coupon => coupon.Code));
    }

    [Fact]
    public async Task Issue_RuleDisabledAfterTheDecision_IssuesNothing()
    {
        _data.Rules.Seed(GeofenceRule());
        _data.SeedCustomer();
        _data.Inventory.Stock(Near.Id, "SKU-1", 5);
        var grant = await _data.GrantAsync();
        var stored = await _data.Rules.GetAsync("walk-in", CancellationToken.None);
        await _data.Rules.SaveAsync(stored!.Value with { Enabled = false }, stored.ETag, CancellationToken.None);

        Assert.Null(await Service.IssueAsync(Geofence(), grant, "remarketing-evt-1", CancellationToken.None));
        Assert.Empty(_data.Coupons.All);
    }

    [Fact]
    public async Task Issue_TheRulesDailyBudgetSpentByAnotherCustomer_IssuesNothing()
    {
        _data.Rules.Seed(GeofenceRule() with { DailyBudget = 1 });
        _data.SeedCustomer();
        _data.Inventory.Stock(Near.Id, "SKU-1", 5);
        var grant = await _data.GrantAsync();
        var now = _data.Clock.GetUtcNow();
        var spent = await _data.Coupons.IssueAsync(IssuedCoupon("OC-AAAA-BBBB-CC", "walk-in", now) with { CustomerId = "someone-else" }, null, 1, CancellationToken.None);

        var coupon = await Service.IssueAsync(Geofence(), grant, "remarketing-evt-1", CancellationToken.None);

        Assert.Equal(IssueOutcome.Issued, spent.Outcome);
        Assert.Null(coupon);
        Assert.Equal(["someone-else"], _data.Coupons.All.Select(issued => issued.CustomerId));
        Assert.Empty(_data.Profile.Coupons);
    }

    // ---- NewCode ----

    [Fact]
    public void NewCode_AThousandCodes_AreDistinctWellFormedAndFreeOfLookAlikes()
    {
        var codes = Enumerable.Range(0, 1000).Select(_ => RemarketingService.NewCode()).ToList();

        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.All(codes, code => Assert.Matches(CodePattern(), code));
        Assert.All(codes, code => Assert.DoesNotMatch("[IO01]", code[3..]));
    }

    // ---- MayFireAsync ----

    [Fact]
    public async Task MayFire_OnlyForASignalAnEnabledRuleListensTo()
    {
        _data.Rules.Seed(GeofenceRule(), GeofenceRule("carts") with { Signal = RemarketingSignal.CartAbandoned, Enabled = false });

        Assert.True(await Service.MayFireAsync(Geofence(), CancellationToken.None));
        Assert.False(await Service.MayFireAsync(OnlineView("SKU-1"), CancellationToken.None));
        Assert.False(await Service.MayFireAsync(Geofence() with { Signal = RemarketingSignal.CartAbandoned, Skus = ["SKU-1"] }, CancellationToken.None));
    }

    [Fact]
    public async Task MayFire_ARuleForSomeSkus_OnlyForSignalsWithOneOfThem_ButAGeofenceAlways()
    {
        _data.Rules.Seed(
            GeofenceRule("viewed") with { Signal = RemarketingSignal.ProductViewed, Conditions = RuleConditions.Any with { Skus = ["SKU-1", "SKU-2"] } },
            GeofenceRule("walk-in") with { Conditions = RuleConditions.Any with { Skus = ["SKU-2"] } });

        Assert.True(await Service.MayFireAsync(OnlineView("SKU-2"), CancellationToken.None));
        Assert.False(await Service.MayFireAsync(OnlineView("SKU-9"), CancellationToken.None));

        // Walking past a store carries no SKU: the rule looks at what the customer viewed, which needs the profile.
        Assert.True(await Service.MayFireAsync(Geofence(), CancellationToken.None));
    }

    [Fact]
    public async Task MayFire_ReadsTheRulesAtMostEveryTenSeconds()
    {
        Assert.False(await Service.MayFireAsync(Geofence(), CancellationToken.None));
        _data.Rules.Seed(GeofenceRule());

        _data.Clock.Advance(TimeSpan.FromSeconds(9));
        Assert.False(await Service.MayFireAsync(Geofence(), CancellationToken.None));
        Assert.Equal(1, _data.Rules.ListCalls);

        _data.Clock.Advance(TimeSpan.FromSeconds(1.5));
        Assert.True(await Service.MayFireAsync(Geofence(), CancellationToken.None));
        Assert.Equal(2, _data.Rules.ListCalls);

        // A rule disabled is likewise seen late; deciding reads the rules fresh meanwhile.
        _data.Rules.Seed(GeofenceRule() with { Enabled = false });
        _data.SeedCustomer();
        Assert.True(await Service.MayFireAsync(Geofence(), CancellationToken.None));
        Assert.Equal("No enabled rule listens to geofence.entered.", (await Service.DecideAsync(Geofence(), CancellationToken.None)).Reason);
        _data.Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.False(await Service.MayFireAsync(Geofence(), CancellationToken.None));
    }

    // ---- RedeemAsync / ExpireAsync ----

    [Fact]
    public async Task Redeem_AnIssuedCoupon_RecordsTheSaleInTheCustomer360_OnlyOnce()
    {
        var coupon = await IssueAsync();
        var at = TestClock.Now.AddHours(2);

        var (outcome, redeemed) = await Service.RedeemAsync(coupon.Code, "sale-12", Mid.Id, 42.50m, at, CancellationToken.None);
        var writes = _data.Profiles.Writes;
        var (again, _) = await Service.RedeemAsync(coupon.Code, "sale-13", Far.Id, 99m, at.AddMinutes(5), CancellationToken.None);

        Assert.Equal(RedeemOutcome.Redeemed, outcome);
        Assert.Equal((CouponState.Redeemed, at, Mid.Id, 42.50m), (redeemed!.State, redeemed.RedeemedAt, redeemed.RedeemedStoreId, redeemed.SaleTotal));
        Assert.Equal(RedeemOutcome.AlreadyRedeemed, again);
        Assert.Equal(writes, _data.Profiles.Writes);
        var shown = Assert.Single(_data.Profile.Coupons);
        Assert.Equal((CouponState.Redeemed, at, 42.50m), (shown.State, shown.RedeemedAt, shown.SaleTotal));
    }

    [Fact]
    public async Task Redeem_AfterTheCouponRanOut_IsExpiredAndChangesNothing()
    {
        var coupon = await IssueAsync();

        var (outcome, _) = await Service.RedeemAsync(coupon.Code, "sale-14", Mid.Id, 42.50m, coupon.ExpiresAt.AddSeconds(1), CancellationToken.None);

        Assert.Equal(RedeemOutcome.Expired, outcome);
        Assert.Equal(CouponState.Issued, _data.Coupons.Get(coupon.Code)!.State);
        Assert.Equal(CouponState.Issued, Assert.Single(_data.Profile.Coupons).State);
    }

    [Fact]
    public async Task Redeem_AnUnknownCode_IsUnknown()
    {
        _data.SeedCustomer();

        var (outcome, coupon) = await Service.RedeemAsync("OC-ZZZZ-ZZZZ-ZZ", "sale-15", Mid.Id, 10m, TestClock.Now, CancellationToken.None);

        Assert.Equal(RedeemOutcome.Unknown, outcome);
        Assert.Null(coupon);
    }

    [Fact]
    public async Task Redeem_TwentySalesRacingWithOneCode_ExactlyOneRedeems()
    {
        var coupon = await IssueAsync();

        var outcomes = await Task.WhenAll(Enumerable.Range(1, 20).Select(sale => Task.Run(() =>
            Service.RedeemAsync(coupon.Code, $"sale-{sale}", Mid.Id, sale, TestClock.Now.AddHours(1), CancellationToken.None))));

        var winner = Assert.Single(outcomes, result => result.Outcome == RedeemOutcome.Redeemed);
        Assert.All(outcomes.Where(result => result.Outcome != RedeemOutcome.Redeemed), result => Assert.Equal(RedeemOutcome.AlreadyRedeemed, result.Outcome));
        Assert.Equal(1, _data.Coupons.Redemptions);
        Assert.Equal(winner.Coupon!.SaleTotal, _data.Coupons.Get(coupon.Code)!.SaleTotal);
        Assert.Equal(winner.Coupon.SaleTotal, Assert.Single(_data.Profile.Coupons).SaleTotal);
    }

    [Fact]
    public async Task Expire_AnUnusedCoupon_ShowsItExpiredInTheCustomer360()
    {
        var coupon = await IssueAsync();

        var ended = await Service.ExpireAsync(coupon.Code, CancellationToken.None);

        Assert.Equal(CouponState.Expired, ended!.State);
        Assert.Equal(CouponState.Expired, _data.Coupons.Get(coupon.Code)!.State);
        Assert.Equal(CouponState.Expired, Assert.Single(_data.Profile.Coupons).State);
    }

    [Fact]
    public async Task Expire_ARedeemedCoupon_StaysRedeemedWithItsSale()
    {
        var coupon = await IssueAsync();
        await Service.RedeemAsync(coupon.Code, "sale-17", Mid.Id, 42.50m, TestClock.Now.AddHours(1), CancellationToken.None);

        var ended = await Service.ExpireAsync(coupon.Code, CancellationToken.None);

        Assert.Equal((CouponState.Redeemed, 42.50m), (ended!.State, ended.SaleTotal));
        var shown = Assert.Single(_data.Profile.Coupons);
        Assert.Equal((CouponState.Redeemed, 42.50m), (shown.State, shown.SaleTotal));
    }

    [Fact]
    public async Task Expire_ARedemptionRecordedLate_DoesNotUndoTheExpiryInTheCustomer360()
    {
        var coupon = await IssueAsync();
        await Service.ExpireAsync(coupon.Code, CancellationToken.None);

        // An "issued" copy arriving after the expiry (a replayed step) changes nothing.
        await _data.Journey.RecordCouponAsync(coupon, CancellationToken.None);

        Assert.Equal(CouponState.Expired, Assert.Single(_data.Profile.Coupons).State);
    }

    // ---- InputFor ----

    [Fact]
    public void InputFor_Signals_AnswersTheWorkflowInputForTheResolvedCustomer()
    {
        var geofence = Decoding.Event(CloudEventBuilder.Of(EventTypes.GeofenceEntered).Anonymous("d-1"));
        var view = Decoding.Event(CloudEventBuilder.View("SKU-5").Customer("C1"));
        var cart = Decoding.Event(CloudEventBuilder.Of(EventTypes.CartAbandoned).Customer("C1"));

        var fromGeofence = RemarketingService.InputFor(geofence, "C1")!;
        Assert.Equal(
            ("C1", geofence.Key, RemarketingSignal.GeofenceEntered, geofence.Time, "0001", 40.7128, -74.006),
            (fromGeofence.CustomerId, fromGeofence.EventKey, fromGeofence.Signal, fromGeofence.At, fromGeofence.StoreId, fromGeofence.Latitude!.Value, fromGeofence.Longitude!.Value));
        Assert.Empty(fromGeofence.Skus);
        Assert.Equal(["SKU-5"], RemarketingService.InputFor(view, "C1")!.Skus);
        Assert.Equal(RemarketingSignal.ProductViewed, RemarketingService.InputFor(view, "C1")!.Signal);
        Assert.Equal(["SKU-1", "SKU-2"], RemarketingService.InputFor(cart, "C1")!.Skus);
    }

    [Fact]
    public void InputFor_AnEventThatIsNotASignal_IsNull()
    {
        Assert.Null(RemarketingService.InputFor(Decoding.Event(CloudEventBuilder.Of(EventTypes.CartItemAdded).Customer("C1")), "C1"));
    }

    private async Task<Coupon> IssueAsync()
    {
        _data.Rules.Seed(GeofenceRule());
        _data.SeedCustomer(["SKU-1"]);
        _data.Inventory.Stock(Near.Id, "SKU-1", 5);
        var grant = await _data.GrantAsync();
        return await Service.IssueAsync(Geofence(), grant, "remarketing-evt-1", CancellationToken.None)
            ?? throw new InvalidOperationException("Expected a coupon.");
    }

    private static Coupon IssuedCoupon(string code, string ruleId, DateTimeOffset issuedAt) =>
        new(code, CustomerId, ruleId, Near.Id, "SKU-1", new Offer(OfferKind.Amount, 5, 25, 24), issuedAt, issuedAt.AddHours(24), CouponState.Issued, "remarketing-" + code);

    [GeneratedRegex("^OC-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{2}$")]
    private static partial Regex CodePattern();
}
