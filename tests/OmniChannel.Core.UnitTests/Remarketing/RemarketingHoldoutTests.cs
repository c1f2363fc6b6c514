using OmniChannel.Core.Events;
using OmniChannel.Core.Identity;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Remarketing;
using OmniChannel.Core.UnitTests.Builders;
using Moq;
using OmniChannel.TestSupport.Fakes;
using static OmniChannel.Core.UnitTests.Remarketing.RemarketingTestData;

namespace OmniChannel.Core.UnitTests.Remarketing;

/// <summary>
/// Control groups and attribution: customer C1's bucket is 2970 for rule "holdout" (so 30 % holds them out, 29 % does
/// not) and 6334 for the global control group.
/// </summary>
public sealed class RemarketingHoldoutTests
{
    private readonly RemarketingTestData _data = new();
    private readonly Mock<IWorkflowClient> _workflows = new();

    public RemarketingHoldoutTests()
    {
        // Windows opened by signals days ago: those signals are decided here as if they had just arrived.
        _data.Options.MaxGeofenceSignalAge = TimeSpan.FromDays(30);
    }

    private RemarketingService Service => _data.Service;

    private static RemarketingRule HoldoutRule(int percent) => GeofenceRule("holdout") with { HoldoutPercent = percent };

    [Fact]
    public async Task Decide_CustomerInTheRulesHoldout_WouldHaveFiredButNothingIsGranted_AndTheirWindowOpens()
    {
        SeedEligible(HoldoutRule(30));

        var decision = await Service.DecideAsync(Geofence(), CancellationToken.None);

        Assert.Null(decision.Grant);
        Assert.Equal(new HeldOutDecision("holdout", "Rule holdout", 30, Global: false), decision.HeldOut);
        Assert.Contains("would have fired: held out (rule holdout, 30 %)", decision.Reason, StringComparison.Ordinal);
        var window = Assert.Single(_data.Attribution.Windows);
        Assert.Equal(new AttributionWindow("holdout", CustomerId, AttributionGroup.HeldOut, TestClock.Now, TestClock.Now.AddDays(7)), window);
        Assert.Empty(_data.Coupons.All);
    }

    [Fact]
    public async Task Decide_HoldoutBelowTheCustomersBucket_Fires()
    {
        SeedEligible(HoldoutRule(29));

        var decision = await Service.DecideAsync(Geofence(), CancellationToken.None);

        Assert.True(decision.Fires, decision.Reason);
        Assert.Null(decision.HeldOut);
        Assert.Empty(_data.Attribution.Windows);
    }

    [Fact]
    public async Task Decide_CustomerOutsideTheGlobalControlGroup_IsTreated()
    {
        SeedEligible(HoldoutRule(0));
        // C1's global bucket is 6334: a 50 % control group does not hold them; the rule's own 0 % neither.
        _data.Options.GlobalControlPercent = 50;
        Assert.True((await Service.DecideAsync(Geofence(), CancellationToken.None)).Fires);
        Assert.False(HoldoutGroups.InGlobalControl(CustomerId, 50));
        Assert.True(HoldoutGroups.InGlobalControl("c-0001", 1));
    }

    [Fact]
    public async Task Decide_CustomerInTheGlobalControlGroup_IsHeldOutOfTheWinningRule()
    {
        // c-0001's global bucket is 93: a 1 % global control group holds them out of every rule, even one without a holdout.
        SeedEligible(HoldoutRule(0));
        _data.SeedCustomer(["SKU-1"], customerId: "c-0001");
        _data.Options.GlobalControlPercent = 1;

        var decision = await Service.DecideAsync(Geofence() with { CustomerId = "c-0001" }, CancellationToken.None);

        Assert.Equal(new HeldOutDecision("holdout", "Rule holdout", 1, Global: true), decision.HeldOut);
        Assert.Contains("would have fired: held out (global control group, 1 %)", decision.Reason, StringComparison.Ordinal);
        Assert.Equal(("c-0001", AttributionGroup.HeldOut), Assert.Single(_data.Attribution.Windows) is var window ? (window.CustomerId, window.Group) : default);
    }

    [Fact]
    public async Task Issue_ATreatedCustomersCoupon_OpensTheirTreatedWindowOnce()
    {
        SeedEligible(HoldoutRule(10));
        var grant = await _data.GrantAsync();

        await Service.IssueAsync(Geofence(), grant, "instance-1", CancellationToken.None);
        await Service.IssueAsync(Geofence(), grant, "instance-1", CancellationToken.None);

        var window = Assert.Single(_data.Attribution.Windows);
        Assert.Equal((AttributionGroup.Treated, TestClock.Now), (window.Group, window.Start));
    }

    [Fact]
    public async Task PosSale_InAHeldOutCustomersWindow_IsAttributedOnceAndShownOnThe360()
    {
        var reaction = await HeldOutCustomerAsync();
        var sale = Decoding.Event(CloudEventBuilder.Sale(Near.Id, ("SKU-1", 2)).Customer(CustomerId));

        await reaction.ReactAsync([sale], CancellationToken.None);
        await reaction.ReactAsync([Decoding.Event(CloudEventBuilder.Sale(Near.Id, ("SKU-1", 2)).Customer(CustomerId).WithId(sale.Id).WithTime(sale.Time))], CancellationToken.None);

        var totals = Assert.Single(await _data.Attribution.ReadTotalsAsync(["holdout"], DateOnly.MinValue, DateOnly.MaxValue, CancellationToken.None));
        Assert.Equal((AttributionGroup.HeldOut, 1L, 1L, 19.98m, 19.98m * 19.98m), (totals.Group, totals.Customers, totals.Purchases, totals.Sales, totals.SalesSquares));
        var shown = Assert.Single(_data.Profile.AttributedSales);
        Assert.Equal(new SaleAttribution(sale.Key, "holdout", AttributionGroup.HeldOut, sale.Time, 19.98m), shown);
    }

    [Fact]
    public async Task PosSale_ForARuleCreatedAfterTheRulesWereLastCached_IsAttributed()
    {
        // Ingest cached the rules a moment ago, before marketing created the holdout rule; its decisions read them fresh.
        _data.Rules.Seed(GeofenceRule("older-rule"));
        Assert.True(await Service.HasRulesAsync(CancellationToken.None));
        var reaction = await HeldOutCustomerAsync();
        var sale = Decoding.Event(CloudEventBuilder.Sale(Near.Id, ("SKU-1", 1)).Customer(CustomerId));

        await reaction.ReactAsync([sale], CancellationToken.None);

        var totals = Assert.Single(await _data.Attribution.ReadTotalsAsync(["holdout"], DateOnly.MinValue, DateOnly.MaxValue, CancellationToken.None));
        Assert.Equal(1L, totals.Purchases);
    }

    [Fact]
    public async Task PosSale_AfterTheWindow_IsNotAttributed()
    {
        var reaction = await HeldOutCustomerAsync(windowDays: 1);
        var late = Decoding.Event(CloudEventBuilder.Sale(Near.Id, ("SKU-1", 1)).Customer(CustomerId));

        await reaction.ReactAsync([late], CancellationToken.None);

        var totals = await _data.Attribution.ReadTotalsAsync(["holdout"], DateOnly.MinValue, DateOnly.MaxValue, CancellationToken.None);
        Assert.Equal((1L, 0L), (totals.Sum(total => total.Customers), totals.Sum(total => total.Purchases)));
        Assert.Empty(_data.Profile.AttributedSales);
    }

    /// <summary>The rule, and C1 who viewed SKU-1 lately and walks past a store that has it: the rule matches.</summary>
    private void SeedEligible(RemarketingRule rule)
    {
        _data.Rules.Seed(rule);
        _data.SeedCustomer(["SKU-1"]);
        _data.Inventory.Stock(Near.Id, "SKU-1", 3);
    }

    /// <summary>C1, held out of rule "holdout" by a geofence signal two days ago; a window of <paramref name="windowDays"/> days.</summary>
    private async Task<RemarketingReaction> HeldOutCustomerAsync(int windowDays = 7)
    {
        SeedEligible(HoldoutRule(30) with { AttributionDays = windowDays });
        var decision = await Service.DecideAsync(Geofence(at: TestClock.Now.AddDays(-2)), CancellationToken.None);
        Assert.NotNull(decision.HeldOut);
        var people = new PersonResolver(_data.Stitcher);
        return new RemarketingReaction(Service, new CouponTill(_data.Coupons, people, Service, _workflows.Object, new InMemoryCouponConflictLog()), people, _workflows.Object);
    }
}
