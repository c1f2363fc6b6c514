using OmniChannel.Core.Events;
using OmniChannel.Core.Profiles;
using OmniChannel.Core.Remarketing;
using OmniChannel.Core.UnitTests.Builders;
using static OmniChannel.Core.UnitTests.Remarketing.RemarketingTestData;

namespace OmniChannel.Core.UnitTests.Remarketing;

/// <summary>
/// A rule's dwell time: the decision on entry only asks the workflow to wait; the decision after the wait fires unless
/// the customer's exit from that store's geofence arrived meanwhile. Customer C1 is in rule "holdout"'s 30 % control group.
/// </summary>
public sealed class RemarketingDwellTests
{
    private readonly RemarketingTestData _data = new();

    public RemarketingDwellTests()
    {
        _data.SeedCustomer(["SKU-1"]);
        _data.Inventory.Stock(Near.Id, "SKU-1", 3);
    }

    private RemarketingService Service => _data.Service;

    private static RemarketingRule DwellRule(int minutes, string id = "walk-in") => GeofenceRule(id) with { DwellMinutes = minutes };

    [Fact]
    public async Task Decide_OnEntry_ARuleWithADwellTime_AsksToWaitForItAndGrantsNothingYet()
    {
        _data.Rules.Seed(DwellRule(10));

        var decision = await Service.DecideAsync(Geofence(), CancellationToken.None);

        Assert.Null(decision.Grant);
        Assert.Null(decision.HeldOut);
        Assert.Equal(new DwellWait("walk-in", "Rule walk-in", Near.Id, 10), decision.Dwell);
        Assert.Contains("still near store 0001 after 10 min", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decide_OnEntry_ARuleWithoutADwellTime_FiresAtOnce()
    {
        _data.Rules.Seed(GeofenceRule());

        var decision = await Service.DecideAsync(Geofence(), CancellationToken.None);

        Assert.True(decision.Fires, decision.Reason);
        Assert.Null(decision.Dwell);
    }

    [Fact]
    public async Task Decide_AfterTheDwell_TheCustomerStayed_Fires()
    {
        _data.Rules.Seed(DwellRule(10));
        _data.Clock.Advance(TimeSpan.FromMinutes(10));

        var decision = await Service.DecideAsync(Geofence() with { DwelledMinutes = 10 }, CancellationToken.None);

        Assert.True(decision.Fires, decision.Reason);
        Assert.Equal(Near.Id, decision.Grant!.StoreId);
    }

    [Fact]
    public async Task Decide_AfterTheDwell_TheCustomerLeftMeanwhile_NoCouponAndTheReasonSaysWhen()
    {
        _data.Rules.Seed(DwellRule(10));
        Exit(Near.Id, TestClock.Now.AddMinutes(4));
        _data.Clock.Advance(TimeSpan.FromMinutes(10));

        var decision = await Service.DecideAsync(Geofence() with { DwelledMinutes = 10 }, CancellationToken.None);

        Assert.False(decision.Fires);
        Assert.Equal("The customer left the area of store 0001 4 min after entering it, before the 10 min dwell.", decision.Reason);
    }

    [Fact]
    public async Task Decide_AfterTheDwell_AnExitFromAnotherStoreOrFromAnEarlierVisit_DoesNotCount()
    {
        _data.Rules.Seed(DwellRule(10));
        Exit(Mid.Id, TestClock.Now.AddMinutes(3));
        Exit(Near.Id, TestClock.Now.AddMinutes(-30));
        _data.Clock.Advance(TimeSpan.FromMinutes(10));

        var decision = await Service.DecideAsync(Geofence() with { DwelledMinutes = 10 }, CancellationToken.None);

        Assert.True(decision.Fires, decision.Reason);
    }

    [Fact]
    public async Task Decide_AfterADwellLongerThanTheMaximumSignalAge_TheSignalCountsFromTheDwellsEnd()
    {
        // 25 min after the entry is past the 15 min a geofence signal lives; 5 min after the 20 min dwell is not.
        _data.Rules.Seed(DwellRule(20));
        _data.Clock.Advance(TimeSpan.FromMinutes(25));

        var decision = await Service.DecideAsync(Geofence() with { DwelledMinutes = 20 }, CancellationToken.None);

        Assert.True(decision.Fires, decision.Reason);
    }

    [Fact]
    public async Task Decide_TheControlGroupIsDrawnOnlyFromCustomersWhoStayed()
    {
        // Held out on entry would count a customer who then walks away in the control group only: the groups would differ.
        _data.Rules.Seed(DwellRule(10, "holdout") with { HoldoutPercent = 30 });

        var onEntry = await Service.DecideAsync(Geofence(), CancellationToken.None);
        Assert.NotNull(onEntry.Dwell);
        Assert.Null(onEntry.HeldOut);
        Assert.Empty(_data.Attribution.Windows);

        _data.Clock.Advance(TimeSpan.FromMinutes(10));
        var afterDwell = await Service.DecideAsync(Geofence() with { DwelledMinutes = 10 }, CancellationToken.None);
        Assert.NotNull(afterDwell.HeldOut);
        Assert.Single(_data.Attribution.Windows);
    }

    [Fact]
    public async Task Decide_AfterADwellShorterThanTheRuleNowWants_DoesNotWaitAgain()
    {
        // The rule was changed to 30 min while the workflow waited 10: it ends rather than waiting a second time.
        _data.Rules.Seed(DwellRule(30));
        _data.Clock.Advance(TimeSpan.FromMinutes(10));

        var decision = await Service.DecideAsync(Geofence() with { DwelledMinutes = 10 }, CancellationToken.None);

        Assert.False(decision.Fires);
        Assert.Null(decision.Dwell);
        Assert.Contains("waited 10 min", decision.Reason, StringComparison.Ordinal);
    }

    private void Exit(string storeId, DateTimeOffset at)
    {
        var profile = _data.Profile;
        profile.RecentActivity.Insert(0, new ActivityEntry($"exit-{storeId}-{at:HHmm}", "x", EventTypes.GeofenceExited, at, Channels.App, storeId, "left"));
        _data.Profiles.Seed(profile);
    }
}
