using Moq;
using OmniChannel.Core.Events;
using OmniChannel.Core.Identity;
using OmniChannel.Core.Insights;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Profiles;
using OmniChannel.Core.Remarketing;
using OmniChannel.Core.UnitTests.Builders;
using OmniChannel.TestSupport.Fakes;
using static OmniChannel.Core.UnitTests.Remarketing.RemarketingTestData;

namespace OmniChannel.Core.UnitTests.Remarketing;

public sealed class RemarketingReactionTests
{
    private const string Instance = "remarketing-earlier-signal";

    private readonly RemarketingTestData _data = new();
    private readonly Mock<IWorkflowClient> _workflows = new();
    private readonly InMemoryCouponConflictLog _conflicts = new();
    private readonly RemarketingReaction _reaction;

    public RemarketingReactionTests()
    {
        _workflows.Setup(client => client.StartAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
        _workflows.Setup(client => client.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
        var people = new PersonResolver(_data.Stitcher);
        _reaction = new RemarketingReaction(_data.Service, new CouponTill(_data.Coupons, people, _data.Service, _workflows.Object, _conflicts), people, _workflows.Object);
    }

    [Fact]
    public async Task Geofence_OfAKnownCustomerWithAnEnabledGeofenceRule_StartsOneWorkflowNamedForTheEvent()
    {
        _data.Rules.Seed(GeofenceRule());
        var geofence = Decoding.Event(CloudEventBuilder.Of(EventTypes.GeofenceEntered).Customer("C1"));

        await _reaction.ReactAsync([geofence], CancellationToken.None);

        _workflows.Verify(client => client.StartAsync(
            RemarketingWorkflow.OrchestrationName,
            "remarketing-" + geofence.Key,
            It.Is<RemarketingInput>(input => input.CustomerId == "C1" && input.EventKey == geofence.Key && input.Signal == RemarketingSignal.GeofenceEntered
                && input.StoreId == "0001" && input.Latitude == 40.7128 && input.Longitude == -74.006 && input.At == geofence.Time),
            It.IsAny<CancellationToken>()), Times.Once);
        _workflows.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task ReactAsync_GeofenceWithOnlyADeviceOfAKnownCustomer_StartsTheWorkflowForThatCustomer()
    {
        _data.Rules.Seed(GeofenceRule());
        _data.SeedCustomer();
        await _data.LinkDeviceAsync("d-1");
        var geofence = Decoding.Event(CloudEventBuilder.Of(EventTypes.GeofenceEntered).Anonymous("d-1"));

        await _reaction.ReactAsync([geofence], CancellationToken.None);

        _workflows.Verify(client => client.StartAsync(
            RemarketingWorkflow.OrchestrationName,
            "remarketing-" + geofence.Key,
            It.Is<RemarketingInput>(input => input.CustomerId == CustomerId && input.EventKey == geofence.Key && input.Signal == RemarketingSignal.GeofenceEntered
                && input.StoreId == "0001" && input.Latitude == 40.7128 && input.Longitude == -74.006),
            It.IsAny<CancellationToken>()), Times.Once);
        _workflows.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task ReactAsync_DeviceOnlySignalNoRuleListensTo_ReadsNoIdentityOrProfile()
    {
        _data.Rules.Seed(GeofenceRule() with { Signal = RemarketingSignal.CartAbandoned });
        _data.SeedCustomer();
        await _data.LinkDeviceAsync("d-1");

        await _reaction.ReactAsync([Decoding.Event(CloudEventBuilder.Of(EventTypes.GeofenceEntered).Anonymous("d-1"))], CancellationToken.None);

        Assert.Equal((0, 0), (_data.Links.ReadCalls, _data.Events.TimelineReads));
        _workflows.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task ReactAsync_DeviceOfAProfileWithoutACustomerId_StaysAnonymousAndStartsNothing()
    {
        _data.Rules.Seed(GeofenceRule());
        _data.Profiles.Seed(new CustomerProfile { Id = "loyalty:L1", Identities = ["loyalty:L1", "device:d-1"], MarketingConsent = ConsentState.Granted });
        await _data.LinkDeviceAsync("d-1", "loyalty:L1");

        await _reaction.ReactAsync([Decoding.Event(CloudEventBuilder.Of(EventTypes.GeofenceEntered).Anonymous("d-1"))], CancellationToken.None);

        _workflows.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task ReactAsync_DeviceLinkedToAProfileMergedIntoACustomer_StartsTheWorkflowForThatCustomer()
    {
        _data.Rules.Seed(GeofenceRule());
        _data.SeedCustomer();
        _data.Profiles.Seed(new CustomerProfile { Id = "loyalty:L1", Identities = ["loyalty:L1", "device:d-1"], MergedInto = ProfileId });
        await _data.LinkDeviceAsync("d-1", "loyalty:L1");

        await _reaction.ReactAsync([Decoding.Event(CloudEventBuilder.Of(EventTypes.GeofenceEntered).Anonymous("d-1"))], CancellationToken.None);

        _workflows.Verify(client => client.StartAsync(RemarketingWorkflow.OrchestrationName, It.IsAny<string>(), It.Is<RemarketingInput>(input => input.CustomerId == CustomerId), It.IsAny<CancellationToken>()), Times.Once);
        _workflows.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Signals_NobodyOrNoRuleListensTo_StartNothing()
    {
        _data.Rules.Seed(GeofenceRule(), GeofenceRule("off") with { Signal = RemarketingSignal.CartAbandoned, Enabled = false });
        OmniEvent[] events =
        [
            Decoding.Event(CloudEventBuilder.Of(EventTypes.GeofenceEntered).Anonymous("d-9")),
            Decoding.Event(CloudEventBuilder.View("SKU-1").Customer("C1")),
            Decoding.Event(CloudEventBuilder.Of(EventTypes.CartAbandoned).Customer("C1")),
            Decoding.Event(CloudEventBuilder.Of(EventTypes.CartItemAdded).Customer("C1")),
            Decoding.Event(CloudEventBuilder.Of(EventTypes.PosSale).RemoveData("couponcode")),
        ];

        await _reaction.ReactAsync(events, CancellationToken.None);

        _workflows.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Batch_WithSeveralSignals_StartsOneWorkflowPerSignalThatMayFire()
    {
        _data.Rules.Seed(GeofenceRule());
        var first = Decoding.Event(CloudEventBuilder.Of(EventTypes.GeofenceEntered).Customer("C1"));
        var anonymous = Decoding.Event(CloudEventBuilder.Of(EventTypes.GeofenceEntered).Anonymous("d-2"));
        var second = Decoding.Event(CloudEventBuilder.Of(EventTypes.GeofenceEntered).Customer("C2"));

        await _reaction.ReactAsync([first, anonymous, second], CancellationToken.None);

        _workflows.Verify(client => client.StartAsync(RemarketingWorkflow.OrchestrationName, "remarketing-" + first.Key, It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Once);
        _workflows.Verify(client => client.StartAsync(RemarketingWorkflow.OrchestrationName, "remarketing-" + second.Key, It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Once);
        _workflows.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task PosSale_WithACouponCode_RedeemsItAndTellsTheCouponsWorkflow()
    {
        var coupon = await SeedCouponAsync();
        var sale = Decoding.Event(Sale(coupon.Code));

        await _reaction.ReactAsync([sale], CancellationToken.None);

        _workflows.Verify(client => client.RaiseEventAsync(Instance, RemarketingWorkflow.RedeemedEvent, null, It.IsAny<CancellationToken>()), Times.Once);
        _workflows.VerifyNoOtherCalls();
        var redeemed = _data.Coupons.Get(coupon.Code)!;
        Assert.Equal((CouponState.Redeemed, "0001", 4.50m, sale.Time), (redeemed.State, redeemed.RedeemedStoreId, redeemed.SaleTotal, redeemed.RedeemedAt));
        var shown = Assert.Single(_data.Profile.Coupons);
        Assert.Equal((CouponState.Redeemed, 4.50m), (shown.State, shown.SaleTotal));
    }

    [Fact]
    public async Task PosSale_Redelivered_TellsTheWorkflowAgainButRedeemsOnce()
    {
        var coupon = await SeedCouponAsync();
        var sale = Decoding.Event(Sale(coupon.Code));

        await _reaction.ReactAsync([sale], CancellationToken.None);
        await _reaction.ReactAsync([Decoding.Event(Sale(coupon.Code).WithId(sale.Id))], CancellationToken.None);

        _workflows.Verify(client => client.RaiseEventAsync(Instance, RemarketingWorkflow.RedeemedEvent, null, It.IsAny<CancellationToken>()), Times.Exactly(2));
        Assert.Equal(1, _data.Coupons.Redemptions);
        Assert.Equal(sale.Time, _data.Coupons.Get(coupon.Code)!.RedeemedAt);
        var counted = Assert.Single(_data.Insights.Samples);
        Assert.Equal(new InsightSample(InsightSample.DayOf(sale.Time), InsightMetric.CouponsRedeemed(coupon.RuleId)), counted);
    }

    [Fact]
    public async Task PosSale_TheCountersAreDown_TheCouponIsStillRedeemedAndTheWorkflowTold()
    {
        var coupon = await SeedCouponAsync();
        _data.Insights.FailWith = new InvalidOperationException("table unavailable");

        await _reaction.ReactAsync([Decoding.Event(Sale(coupon.Code))], CancellationToken.None);

        Assert.Equal(CouponState.Redeemed, _data.Coupons.Get(coupon.Code)!.State);
        _workflows.Verify(client => client.RaiseEventAsync(Instance, RemarketingWorkflow.RedeemedEvent, null, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task PosSale_ASecondDifferentSaleWithTheSameCode_IsNotAttributedAndTellsNobody()
    {
        var coupon = await SeedCouponAsync();
        var first = Decoding.Event(Sale(coupon.Code));
        var second = Decoding.Event(Sale(coupon.Code).WithId("another-sale").WithTime(TestClock.Now).EditData(data => data["lines"]![0]!["price"] = "19.99"));

        await _reaction.ReactAsync([first], CancellationToken.None);
        await _reaction.ReactAsync([second], CancellationToken.None);

        _workflows.Verify(client => client.RaiseEventAsync(Instance, RemarketingWorkflow.RedeemedEvent, null, It.IsAny<CancellationToken>()), Times.Once);
        _workflows.VerifyNoOtherCalls();
        var redeemed = _data.Coupons.Get(coupon.Code)!;
        Assert.Equal((4.50m, first.Time), (redeemed.SaleTotal, redeemed.RedeemedAt));
    }

    [Fact]
    public async Task PosSale_WithAnExpiredOrUnknownCode_RedeemsNothingAndTellsNobody()
    {
        var coupon = await SeedCouponAsync(expiresAt: TestClock.Now.AddMinutes(-5));

        await _reaction.ReactAsync([Decoding.Event(Sale(coupon.Code)), Decoding.Event(Sale("OC-ZZZZ-ZZZZ-ZZ"))], CancellationToken.None);

        _workflows.VerifyNoOtherCalls();
        Assert.Equal(CouponState.Issued, _data.Coupons.Get(coupon.Code)!.State);
        Assert.Equal(0, _data.Coupons.Redemptions);
    }

    [Fact]
    public async Task PosSale_AnotherCustomersCodeOrAnUnknownCard_RedeemsNothingAndRecordsTheConflictForOps()
    {
        var coupon = await SeedCouponAsync();
        var someoneElse = Decoding.Event(Sale(coupon.Code).Customer("C-OTHER"));
        var unknownCard = Decoding.Event(Sale(coupon.Code).NoIdentity().Loyalty("L-NOBODY"));

        await _reaction.ReactAsync([someoneElse, unknownCard], CancellationToken.None);

        Assert.Equal(CouponState.Issued, _data.Coupons.Get(coupon.Code)!.State);
        _workflows.VerifyNoOtherCalls();
        Assert.Equal(
            [(someoneElse.Key, TillVerdict.NotThisCustomer), (unknownCard.Key, TillVerdict.NotThisCustomer)],
            _conflicts.All.Select(conflict => (conflict.SaleId, conflict.Verdict)).OrderBy(row => row.SaleId == someoneElse.Key ? 0 : 1).ToArray());
        Assert.All(_conflicts.All, conflict => Assert.DoesNotContain(CustomerId, conflict.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PosSale_BelowTheOffersMinimumSpend_RedeemsNothingAndRecordsWhy()
    {
        var coupon = await SeedCouponAsync(minSpend: 30m);
        var sale = Decoding.Event(Sale(coupon.Code));

        await _reaction.ReactAsync([sale], CancellationToken.None);

        Assert.Equal(CouponState.Issued, _data.Coupons.Get(coupon.Code)!.State);
        var conflict = Assert.Single(_conflicts.All);
        Assert.Equal((TillVerdict.BelowMinimumSpend, 4.50m), (conflict.Verdict, conflict.SaleTotal));
        Assert.Contains("at least 30.00", conflict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PosSale_TheLoserOfADoubleRedemption_IsRecordedAsAConflict_TheWinnerStands()
    {
        var coupon = await SeedCouponAsync();
        var first = Decoding.Event(Sale(coupon.Code));
        var second = Decoding.Event(Sale(coupon.Code).WithId("till-2-sale"));

        await _reaction.ReactAsync([first, second], CancellationToken.None);
        await _reaction.ReactAsync([second], CancellationToken.None);

        Assert.Equal(first.Key, _data.Coupons.Get(coupon.Code)!.RedeemedSaleId);
        var conflict = Assert.Single(_conflicts.All);
        Assert.Equal((second.Key, TillVerdict.AlreadyRedeemed, coupon.Code), (conflict.SaleId, conflict.Verdict, conflict.Code));
        Assert.Contains("already used on another sale", conflict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PosSale_MadeBeforeTheExpiryIngestedAfterTheWorkflowExpiredIt_IsRedeemed()
    {
        var coupon = await SeedCouponAsync(expiresAt: TestClock.Now.AddMinutes(-5));
        await _data.Service.ExpireAsync(coupon.Code, CancellationToken.None);
        var sale = Decoding.Event(Sale(coupon.Code).WithTime(TestClock.Now.AddMinutes(-6)));

        await _reaction.ReactAsync([sale], CancellationToken.None);

        var redeemed = _data.Coupons.Get(coupon.Code)!;
        Assert.Equal((CouponState.Redeemed, sale.Key), (redeemed.State, redeemed.RedeemedSaleId));
        Assert.Equal(CouponState.Redeemed, Assert.Single(_data.Profile.Coupons).State);
        Assert.Empty(_conflicts.All);
    }

    /// <summary>One line of 4.50 at store 0001, a minute before now, by the coupon's customer.</summary>
    private static CloudEventBuilder Sale(string code) => CloudEventBuilder.Of(EventTypes.PosSale).Customer(CustomerId).Data("couponcode", code);

    /// <summary>The customer's coupon: the walk-in rule's offer, with no minimum spend unless told (the sales here are 4.50).</summary>
    private async Task<Coupon> SeedCouponAsync(DateTimeOffset? expiresAt = null, decimal minSpend = 0m)
    {
        _data.SeedCustomer();
        var issuedAt = TestClock.Now.AddHours(-3);
        var coupon = new Coupon("OC-7KQ2-M9XD-4T", CustomerId, "walk-in", Near.Id, "SKU-1", GeofenceRule().Offer with { MinSpend = minSpend }, issuedAt, expiresAt ?? issuedAt.AddHours(48), CouponState.Issued, Instance);
        await _data.Coupons.IssueAsync(coupon, null, null, CancellationToken.None);
        await _data.Journey.RecordCouponAsync(coupon, CancellationToken.None);
        return coupon;
    }
}
