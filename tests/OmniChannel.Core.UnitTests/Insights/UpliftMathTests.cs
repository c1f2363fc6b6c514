using OmniChannel.Core.Insights;
using OmniChannel.Core.Remarketing;

namespace OmniChannel.Core.UnitTests.Insights;

public sealed class UpliftMathTests
{
    [Fact]
    public void Estimate_HandComputedGroups_GivesTheDifferenceOfMeansAndAWelchNormalInterval()
    {
        // Treated customers bought 10, 20, 30: mean 20, s² = ((10−20)² + 0 + (30−20)²) / 2 = 100.
        // Held out bought 0 and 10: mean 5, s² = ((0−5)² + (10−5)²) / 1 = 50.
        // Uplift 15; SE = √(100/3 + 50/2) = √58.333… = 7.637626; 95 %: 15 ± 1.959964 × 7.637626 = 15 ± 14.969472.
        var treated = new GroupMoments(3, 60m, 1400m);
        var heldOut = new GroupMoments(2, 10m, 100m);

        var estimate = UpliftMath.Estimate(treated, heldOut)!;

        Assert.Equal(15, estimate.Uplift, 9);
        Assert.Equal(7.637626158, estimate.StandardError, 6);
        Assert.Equal(0.030528, estimate.Low, 5);
        Assert.Equal(29.969472, estimate.High, 5);
    }

    [Fact]
    public void Estimate_AGroupOfOne_HasNoInterval()
    {
        Assert.Null(UpliftMath.Estimate(new GroupMoments(3, 60m, 1400m), new GroupMoments(1, 10m, 100m)));
        Assert.Null(new GroupMoments(0, 0m, 0m).Mean);
    }

    [Fact]
    public void Uplift_FromDailyTotals_SumsTheDaysPerGroup_AndTheRedemptionRateIsOfTreatedCustomers()
    {
        var rule = RemarketingTestDataRule() with { HoldoutPercent = 20 };
        var day = new DateOnly(2026, 11, 20);
        AttributionTotals[] totals =
        [
            new(rule.Id, day, AttributionGroup.Treated, 2, 2, 1, 30m, 500m),           // 10 and 20
            new(rule.Id, day.AddDays(1), AttributionGroup.Treated, 1, 1, 0, 30m, 900m), // 30
            new(rule.Id, day, AttributionGroup.HeldOut, 2, 1, 0, 10m, 100m),           // 0 and 10
        ];

        var uplift = Assert.Single(InsightsService.Uplift([rule], totals));

        Assert.Equal((3L, 60m, 1400m, 20.0), (uplift.Treated.Customers, uplift.Treated.Sales, uplift.Treated.SalesSquares, uplift.Treated.SalesPerCustomer!.Value));
        Assert.Equal((2L, 5.0), (uplift.HeldOut.Customers, uplift.HeldOut.SalesPerCustomer!.Value));
        Assert.Equal(1 / 3.0, uplift.RedemptionRate, 9);
        Assert.Equal(15, uplift.Uplift!.Value, 9);
        Assert.Equal(0.030528, uplift.UpliftLow!.Value, 5);
        Assert.Equal(29.969472, uplift.UpliftHigh!.Value, 5);
        Assert.Equal((20, 7), (uplift.HoldoutPercent, uplift.AttributionDays));
    }

    private static RemarketingRule RemarketingTestDataRule() => Remarketing.RemarketingTestData.GeofenceRule();
}
