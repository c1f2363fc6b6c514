using OmniChannel.Core.Events;
using OmniChannel.Core.Notifications;
using OmniChannel.Core.Remarketing;
using OmniChannel.Workflows.Bopis;
using static OmniChannel.Workflows.Tests.Remarketing.RemarketingTestHost;

namespace OmniChannel.Workflows.Tests.Remarketing;

/// <summary>The remarketing orchestration, run for real on the in-process Durable Task host, one host per test.</summary>
public sealed class ProximityRemarketingTests : IAsyncLifetime
{
    private RemarketingTestHost _host = null!;

    /// <summary>The host's durable timers cannot be fast-forwarded: coupons issued two hours ago, valid one hour, are born expired.</summary>
    private static DateTimeOffset TwoHoursAgo => DateTimeOffset.UtcNow.AddHours(-2);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    private async Task StartHostAsync(DateTimeOffset? servicesNow = null) => _host = await RemarketingTestHost.StartAsync(servicesNow);

    [Fact]
    public async Task Run_CouponIssuedNotifiedThenRedeemed_EndsRedeemedWithTheSaleInTheCustomer360()
    {
        await StartHostAsync();
        _host.Rules.Seed(Rule());
        var instanceId = await _host.StartAsync(Geofence("evt-happy"));

        var waiting = await _host.WaitForProgressAsync(instanceId, progress => progress.Status == RemarketingStatus.Waiting);
        var coupon = Assert.Single(_host.Coupons.All);
        Assert.Equal(coupon.Code, waiting.CouponCode);
        Assert.Equal((CustomerId, CityHall.Id, Sku, instanceId, CouponState.Issued), (coupon.CustomerId, coupon.StoreId, coupon.Sku, coupon.InstanceId, coupon.State));
        var message = Assert.Single(_host.Notifications.Messages);
        Assert.Equal((Audience.Customer, CustomerId, NotifyCustomer.Channel, coupon.Code + ":coupon"), (message.Audience, message.RecipientId, message.Channel, message.Id));
        Assert.Contains(coupon.Code, message.Text, StringComparison.Ordinal);
        Assert.Contains(CityHall.Name, message.Text, StringComparison.Ordinal);
        Assert.Equal(CouponState.Issued, Assert.Single(_host.Profile.Coupons).State);

        var saleAt = DateTimeOffset.UtcNow;
        var (outcome, _) = await _host.Service.RedeemAsync(coupon.Code, "sale-9", Downtown.Id, 42.50m, saleAt, CancellationToken.None);
        await _host.Client.RaiseEventAsync(instanceId, RemarketingWorkflow.RedeemedEvent);
        var done = await _host.WaitForOutcomeAsync(instanceId);

        Assert.Equal(RedeemOutcome.Redeemed, outcome);
        Assert.Equal((RemarketingStatus.Redeemed, coupon.Code), (done.Status, done.CouponCode));
        Assert.Contains("42.50", done.Reason, StringComparison.Ordinal);
        var shown = Assert.Single(_host.Profile.Coupons);
        Assert.Equal((CouponState.Redeemed, 42.50m, saleAt), (shown.State, shown.SaleTotal, shown.RedeemedAt));
        Assert.Single(_host.Notifications.Messages);
    }

    [Fact]
    public async Task Run_ARuleWithADwellTime_WaitsItOut_ThenTheCustomerWhoStayedGetsTheCoupon()
    {
        await StartHostAsync();
        _host.Rules.Seed(Rule() with { DwellMinutes = 10 });

        // Entered 10 min minus 4 s ago: the dwell timer has 4 s left, so the test sees the wait and its end.
        var instanceId = await _host.StartAsync(Geofence("evt-dwell-stayed") with { At = DateTimeOffset.UtcNow.AddMinutes(-10).AddSeconds(4) });

        var dwelling = await _host.WaitForProgressAsync(instanceId, progress => progress.Status == RemarketingStatus.Waiting);
        Assert.Null(dwelling.CouponCode);
        Assert.Contains("still near store 0001 after 10 min", dwelling.Reason, StringComparison.Ordinal);
        Assert.Empty(_host.Coupons.All);

        var issued = await _host.WaitForProgressAsync(instanceId, progress => progress.CouponCode is not null);
        Assert.Equal(Assert.Single(_host.Coupons.All).Code, issued.CouponCode);
        Assert.Single(_host.Notifications.Messages);
    }

    [Fact]
    public async Task Run_ARuleWithADwellTime_TheCustomerLeftBeforeItsEnd_NothingIsIssuedOrSent()
    {
        await StartHostAsync();
        _host.Rules.Seed(Rule() with { DwellMinutes = 10 });
        var enteredAt = DateTimeOffset.UtcNow.AddMinutes(-10).AddSeconds(2);
        var profile = _host.Profile;
        profile.RecentActivity.Insert(0, new OmniChannel.Core.Profiles.ActivityEntry("exit-1", "exit-1", EventTypes.GeofenceExited, enteredAt.AddMinutes(3), Channels.App, Downtown.Id, "left"));
        _host.Profiles.Seed(profile);

        var instanceId = await _host.StartAsync(Geofence("evt-dwell-left") with { At = enteredAt });
        var done = await _host.WaitForOutcomeAsync(instanceId);

        Assert.Equal(RemarketingStatus.NotEligible, done.Status);
        Assert.Equal("The customer left the area of store 0001 3 min after entering it, before the 10 min dwell.", done.Reason);
        Assert.Empty(_host.Coupons.All);
        Assert.Empty(_host.Notifications.Messages);
    }

    [Fact]
    public async Task Run_CouponRunsOut_EndsExpiredAndTheCustomer360SaysSo()
    {
        await StartHostAsync(TwoHoursAgo);
        _host.Rules.Seed(Rule(validHours: 1));
        var instanceId = await _host.StartAsync(Geofence("evt-expiry"));

        var done = await _host.WaitForOutcomeAsync(instanceId);

        var coupon = Assert.Single(_host.Coupons.All);
        Assert.Equal((RemarketingStatus.Expired, coupon.Code), (done.Status, done.CouponCode));
        Assert.Equal(CouponState.Expired, coupon.State);
        Assert.Equal(CouponState.Expired, Assert.Single(_host.Profile.Coupons).State);
        Assert.Contains(coupon.Code, Assert.Single(_host.Notifications.Messages).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_RedeemedJustBeforeTheExpiryStep_EndsRedeemed()
    {
        await StartHostAsync(TwoHoursAgo);
        _host.Rules.Seed(Rule(validHours: 1));
        decimal? saleTotal = null;
        _host.Coupons.BeforeNextExpire = async code =>
        {
            // A sale made in time, whose redemption reaches the ledger only as the timer has fired.
            var coupon = _host.Coupons.Get(code)!;
            var (outcome, redeemed) = await _host.Service.RedeemAsync(code, "sale-10", Downtown.Id, 18.00m, coupon.IssuedAt.AddMinutes(30), CancellationToken.None);
            saleTotal = outcome == RedeemOutcome.Redeemed ? redeemed!.SaleTotal : null;
        };
        var instanceId = await _host.StartAsync(Geofence("evt-race"));

        var done = await _host.WaitForOutcomeAsync(instanceId);

        Assert.Equal(18.00m, saleTotal);
        Assert.Equal(RemarketingStatus.Redeemed, done.Status);
        Assert.Contains("18.00", done.Reason, StringComparison.Ordinal);
        Assert.Equal(CouponState.Redeemed, Assert.Single(_host.Coupons.All).State);
        var shown = Assert.Single(_host.Profile.Coupons);
        Assert.Equal((CouponState.Redeemed, 18.00m), (shown.State, shown.SaleTotal));
    }

    [Fact]
    public async Task Run_ConsentRevokedBetweenDecisionAndIssue_EndsWithheldWithNoCouponAndNoMessage()
    {
        await StartHostAsync();
        _host.Rules.Seed(Rule());
        _host.Coupons.BeforeNextFindByInstance = (customerId, _) =>
        {
            _host.Profiles.Update(ProfileId, profile => profile.MarketingConsent = ConsentState.Revoked);
            return Task.CompletedTask;
        };
        var instanceId = await _host.StartAsync(Geofence("evt-revoked"));

        var done = await _host.WaitForOutcomeAsync(instanceId);

        Assert.Equal(RemarketingStatus.Withheld, done.Status);
        Assert.Null(done.CouponCode);
        Assert.Null(_host.Coupons.BeforeNextFindByInstance); // the hook ran: the decision had granted a coupon
        Assert.Empty(_host.Coupons.All);
        Assert.Empty(_host.Profile.Coupons);
        Assert.Empty(_host.Notifications.Attempts);
    }

    [Fact]
    public async Task Run_ConsentRevokedAfterTheCouponWasIssued_ThePushIsNotSentAndTheCouponVoided()
    {
        await StartHostAsync();
        _host.Rules.Seed(Rule());
        _host.Coupons.AfterNextIssue = _ =>
        {
            _host.Profiles.Update(ProfileId, profile => profile.MarketingConsent = ConsentState.Revoked);
            return Task.CompletedTask;
        };
        var instanceId = await _host.StartAsync(Geofence("evt-revoked-after-issue"));

        var done = await _host.WaitForOutcomeAsync(instanceId);

        Assert.Equal(RemarketingStatus.Withheld, done.Status);
        Assert.Contains("Consent to marketing was withdrawn after coupon", done.Reason, StringComparison.Ordinal);
        Assert.Equal(CouponState.Expired, Assert.Single(_host.Coupons.All).State);
        Assert.Empty(_host.Notifications.Attempts);
    }

    [Fact]
    public async Task Run_ASignalOlderThanTheGeofenceAge_NeverFires()
    {
        await StartHostAsync();
        _host.Rules.Seed(Rule());
        var late = Geofence("evt-late") with { At = DateTimeOffset.UtcNow.AddMinutes(-20) };

        var done = await _host.WaitForOutcomeAsync(await _host.StartAsync(late));

        Assert.Equal(RemarketingStatus.NotEligible, done.Status);
        Assert.Contains("min old", done.Reason, StringComparison.Ordinal);
        Assert.Empty(_host.Coupons.All);
    }

    [Fact]
    public async Task Run_ThePushFallsInQuietHoursThatBeganAfterTheSignal_TheRuleDrops_NotSentAndVoided()
    {
        // The signal now (before the quiet hours); the services' clock ten minutes on, when they have begun.
        var signalAt = DateTimeOffset.UtcNow;
        await StartHostAsync(servicesNow: signalAt.AddMinutes(10));
        _host.Rules.Seed(Rule() with { QuietHours = QuietAround(signalAt.AddMinutes(10)) });

        var done = await _host.WaitForOutcomeAsync(await _host.StartAsync(Geofence("evt-quiet-drop")));

        Assert.Equal(RemarketingStatus.Withheld, done.Status);
        Assert.Contains("Quiet hours at the store", done.Reason, StringComparison.Ordinal);
        Assert.Equal(CouponState.Expired, Assert.Single(_host.Coupons.All).State);
        Assert.Empty(_host.Notifications.Attempts);
    }

    [Fact]
    public async Task Run_ThePushFallsInQuietHours_TheRuleWaits_SentWhenTheyEnd()
    {
        var signalAt = DateTimeOffset.UtcNow;
        var sendAt = signalAt.AddMinutes(10);

        // 10 s before a whole minute, so the quiet hours end 10 s after the push was due (the durable timer waits that long).
        sendAt = sendAt.AddSeconds(50 - sendAt.Second).AddMilliseconds(-sendAt.Millisecond);
        await StartHostAsync(servicesNow: sendAt);
        var endLocal = RuleEngine.LocalTime(sendAt.AddSeconds(10), Downtown.TimeZone);
        _host.Rules.Seed(Rule() with { QuietHours = new QuietHours(RuleEngine.LocalTime(signalAt.AddMinutes(5), Downtown.TimeZone), endLocal), AtSendInQuietHours = QuietHoursAtSend.Wait });
        var instanceId = await _host.StartAsync(Geofence("evt-quiet-wait"));

        var waiting = await _host.WaitForProgressAsync(instanceId, progress => progress.Reason.Contains("the push waits", StringComparison.Ordinal));
        Assert.Empty(_host.Notifications.Attempts);
        _host.Clock.Advance(TimeSpan.FromMinutes(1));
        await _host.WaitForProgressAsync(instanceId, progress => progress.Reason.Contains("waiting for it to be used", StringComparison.Ordinal), TimeSpan.FromMinutes(1));

        Assert.Equal(RemarketingStatus.Waiting, waiting.Status);
        var message = Assert.Single(_host.Notifications.Messages);
        Assert.Contains(waiting.CouponCode!, message.Text, StringComparison.Ordinal);
    }

    /// <summary>Quiet hours from five minutes before to an hour after <paramref name="at"/>, on the downtown store's clock.</summary>
    private static QuietHours QuietAround(DateTimeOffset at) =>
        new(RuleEngine.LocalTime(at.AddMinutes(-5), Downtown.TimeZone), RuleEngine.LocalTime(at.AddHours(1), Downtown.TimeZone));

    [Fact]
    public async Task Run_CapFilledByAnotherSignalMeanwhile_EndsWithheld()
    {
        await StartHostAsync();
        _host.Rules.Seed(Rule());
        _host.Coupons.BeforeNextFindByInstance = (customerId, _) =>
        {
            var now = _host.Clock.GetUtcNow();
            return _host.Coupons.IssueAsync(
                new Coupon("OC-AAAA-BBBB-CC", customerId, "walk-in", CityHall.Id, Sku, Rule().Offer, now, now.AddHours(48), CouponState.Issued, "remarketing-other"),
                null, null, CancellationToken.None);
        };
        var instanceId = await _host.StartAsync(Geofence("evt-capped"));

        var done = await _host.WaitForOutcomeAsync(instanceId);

        Assert.Equal(RemarketingStatus.Withheld, done.Status);
        Assert.Equal(["OC-AAAA-BBBB-CC"], _host.Coupons.All.Select(coupon => coupon.Code));
        Assert.Empty(_host.Notifications.Attempts);
    }

    [Fact]
    public async Task Run_NoRuleListens_EndsNotEligibleWithTheReason()
    {
        await StartHostAsync();
        _host.Rules.Seed(Rule() with { Signal = RemarketingSignal.CartAbandoned });
        var instanceId = await _host.StartAsync(Geofence("evt-no-rule"));

        var done = await _host.WaitForOutcomeAsync(instanceId);

        Assert.Equal((RemarketingStatus.NotEligible, "No enabled rule listens to geofence.entered."), (done.Status, done.Reason));
        Assert.Null(done.CouponCode);
        Assert.Empty(_host.Coupons.All);
        Assert.Empty(_host.Notifications.Attempts);
    }

    [Fact]
    public async Task Run_NoStockNearby_EndsNotEligibleSayingSo()
    {
        await StartHostAsync();
        _host.Rules.Seed(Rule());
        _host.Inventory.Stock(CityHall.Id, Sku, 0);
        var instanceId = await _host.StartAsync(Geofence("evt-no-stock"));

        var done = await _host.WaitForOutcomeAsync(instanceId);

        Assert.Equal(RemarketingStatus.NotEligible, done.Status);
        Assert.Contains("No store within 500 m has SKU-1 available", done.Reason, StringComparison.Ordinal);
        Assert.Empty(_host.Coupons.All);
    }

    [Fact]
    public async Task Run_CustomerInTheRulesHoldout_EndsHeldOutWithNoCouponAndNoMessage()
    {
        // C1's bucket for rule "holdout" is 2970 of 10,000: a 30 % holdout holds them out.
        await StartHostAsync();
        _host.Rules.Seed(Rule() with { Id = "holdout", HoldoutPercent = 30 });
        var instanceId = await _host.StartAsync(Geofence("evt-held-out"));

        var done = await _host.WaitForOutcomeAsync(instanceId);

        Assert.Equal(RemarketingStatus.HeldOut, done.Status);
        Assert.Contains("would have fired: held out (rule holdout, 30 %)", done.Reason, StringComparison.Ordinal);
        Assert.Null(done.CouponCode);
        Assert.Empty(_host.Coupons.All);
        Assert.Empty(_host.Notifications.Attempts);
        Assert.Empty(_host.Profile.Coupons);
        var window = Assert.Single(_host.Attribution.Windows);
        Assert.Equal(("holdout", AttributionGroup.HeldOut), (window.RuleId, window.Group));
    }
}
