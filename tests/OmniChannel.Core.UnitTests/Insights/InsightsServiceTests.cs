using OmniChannel.Core.Events;
using OmniChannel.Core.Insights;
using OmniChannel.Core.UnitTests.Builders;
using OmniChannel.Core.UnitTests.Remarketing;
using OmniChannel.TestSupport.Fakes;

namespace OmniChannel.Core.UnitTests.Insights;

public sealed class InsightsServiceTests
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(TestClock.Now.UtcDateTime);
    private static readonly DateOnly Day1 = new(2026, 11, 20);
    private static readonly DateOnly Day2 = Day1.AddDays(1);
    private static readonly DateOnly Day3 = Day1.AddDays(2);

    private readonly InMemoryInsights _counters = new();
    private readonly InMemoryRuleStore _rules = new();
    private readonly InsightsService _service;

    public InsightsServiceTests() => _service = new InsightsService(_counters, _rules, TestClock.Create(), new InMemoryAttributionStore());

    // ---- the period ----

    [Fact]
    public void ParsePeriod_NeitherEnd_IsTheLast30DaysEndingToday()
    {
        Assert.Equal((new InsightsPeriod(Today.AddDays(-29), Today), null), Parse(null, null));
        Assert.Equal(30, Parse(string.Empty, string.Empty).Period!.Value.Days);
    }

    [Fact]
    public void ParsePeriod_OnlyOneEnd_TheOtherDefaults()
    {
        Assert.Equal(new InsightsPeriod(new DateOnly(2026, 10, 2), new DateOnly(2026, 10, 31)), Parse(null, "2026-10-31").Period);
        Assert.Equal(new InsightsPeriod(new DateOnly(2026, 11, 1), Today), Parse("2026-11-01", null).Period);
    }

    [Fact]
    public void ParsePeriod_BothEnds_BothInclusive_AYearWithALeapDayIsAllowed()
    {
        Assert.Equal(new InsightsPeriod(Day1, Day1), Parse("2026-11-20", "2026-11-20").Period);
        Assert.Equal(366, Parse("2027-03-01", "2028-02-29").Period!.Value.Days);
    }

    [Theory]
    [InlineData("2026-11-31", "2026-12-01", "from")]
    [InlineData("20261101", "2026-12-01", "from")]
    [InlineData("2026-11-01", "next week", "to")]
    [InlineData("2026-11-01", "2026-11-01T00:00:00Z", "to")]
    [InlineData("2026-11-10", "2026-11-09", "to")]
    [InlineData("2026-12-01", null, "from")]
    [InlineData("2025-11-01", "2026-11-02", "from")]
    public void ParsePeriod_BadDateEndBeforeStartOrOverAYear_NamesTheParameter(string? from, string? to, string field)
    {
        var (period, error) = Parse(from, to);

        Assert.Null(period);
        Assert.Equal(field, error!.Field);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    // ---- the summary ----

    [Fact]
    public async Task Summarize_EveryPerDayListHasEveryDayOfThePeriod_ZeroWhereNothingHappened()
    {
        await RecordAsync(new InsightSample(Day2, InsightMetric.CouponsIssued("r1"), 3), new InsightSample(Day2, InsightMetric.Events(Channels.Web), 7));

        var summary = await _service.SummarizeAsync(new InsightsPeriod(Day1, Day3), CancellationToken.None);

        Assert.Equal([Day1, Day2, Day3], summary.Coupons.PerDay.Select(day => day.Day));
        Assert.Equal([0L, 3, 0], summary.Coupons.PerDay.Select(day => day.Issued));
        Assert.Equal([Day1, Day2, Day3], summary.Pickup.PerDay.Select(day => day.Day));
        Assert.All(summary.Pickup.PerDay, day => Assert.Equal((0L, 0L, 0L, (double?)null, (double?)null), (day.Ready, day.Collected, day.NoShows, day.ReadyP50Seconds, day.ReadyP90Seconds)));
        Assert.Equal([Day1, Day2, Day3], summary.Prices.PerDay.Select(day => day.Day));
        Assert.Equal(3 * Channels.All.Count, summary.Events.PerDay.Count);
        Assert.Equal(7, summary.Events.PerDay.Single(day => day.Day == Day2 && day.Channel == Channels.Web).Events);
        Assert.Equal(0, summary.Events.PerDay.Where(day => day.Day != Day2 || day.Channel != Channels.Web).Sum(day => day.Events));
        Assert.Equal((0L, 0d, 0L, 0d), (summary.Pickup.OrdersReady, summary.Pickup.NoShowRate, summary.Prices.Changes, summary.Coupons.RedemptionRate));
    }

    [Fact]
    public async Task Summarize_Coupons_PerRuleWithTheRulesCurrentNameAndRate_ADeletedRuleHasNoName()
    {
        _rules.Seed(RemarketingTestData.GeofenceRule("walk-in") with { Name = "Walk-in after browsing" });
        await RecordAsync(
            new InsightSample(Day1, InsightMetric.CouponsIssued("walk-in"), 6),
            new InsightSample(Day2, InsightMetric.CouponsIssued("walk-in"), 4),
            new InsightSample(Day2, InsightMetric.CouponsRedeemed("walk-in"), 5),
            new InsightSample(Day3, InsightMetric.CouponsIssued("gone/rule"), 2));

        var summary = await _service.SummarizeAsync(new InsightsPeriod(Day1, Day3), CancellationToken.None);

        Assert.Equal(
            [new RuleCoupons("walk-in", "Walk-in after browsing", 10, 5, 0.5), new RuleCoupons("gone/rule", null, 2, 0, 0)],
            summary.Coupons.PerRule);
        Assert.Equal((12L, 5L, 5d / 12), (summary.Coupons.Issued, summary.Coupons.Redeemed, summary.Coupons.RedemptionRate));
        Assert.Equal([new DailyCoupons(Day1, 6, 0), new DailyCoupons(Day2, 4, 5), new DailyCoupons(Day3, 2, 0)], summary.Coupons.PerDay);
    }

    [Fact]
    public async Task Summarize_Pickup_PercentilesPerDayAndOverTheWholePeriod_NoShowRateOfTheFinishedOrders()
    {
        // Day 1: ten orders ready in 10 minutes; day 2: ten in 2 hours. Over both days p50 lies between, p90 is slow.
        await RecordAsync([.. Ready(Day1, TimeSpan.FromMinutes(10), 10), .. Ready(Day2, TimeSpan.FromHours(2), 10)]);
        await RecordAsync(
            new InsightSample(Day1, InsightMetric.PickupCollected, 6),
            new InsightSample(Day2, InsightMetric.PickupCollected, 2),
            new InsightSample(Day2, InsightMetric.PickupNoShow, 2));

        var summary = (await _service.SummarizeAsync(new InsightsPeriod(Day1, Day2), CancellationToken.None)).Pickup;

        Assert.Equal((20L, 8L, 2L, 0.2), (summary.OrdersReady, summary.Collected, summary.NoShows, summary.NoShowRate));
        Assert.InRange(summary.PerDay[0].ReadyP50Seconds!.Value, 600 * 0.81, 600 * 1.19);
        Assert.InRange(summary.PerDay[1].ReadyP90Seconds!.Value, 7200 * 0.81, 7200 * 1.19);
        Assert.InRange(summary.ReadyP90Seconds!.Value, 7200 * 0.81, 7200 * 1.19);
        Assert.InRange(summary.ReadyP50Seconds!.Value, 600 * 0.81, 7200 * 1.19);
        Assert.Equal([10L, 10], summary.PerDay.Select(day => day.Ready));
    }

    [Fact]
    public async Task Summarize_PricesAndEvents_TotalsPerDayAndPerChannel_UnknownChannelsListedAfterTheKnownOnes()
    {
        await RecordAsync(
            new InsightSample(Day1, InsightMetric.PriceChanges, Duration: TimeSpan.FromSeconds(30)),
            new InsightSample(Day1, InsightMetric.PriceDelivered, 480),
            new InsightSample(Day1, InsightMetric.PriceFailed, 10),
            new InsightSample(Day2, InsightMetric.PriceChanges, Duration: TimeSpan.FromSeconds(30)),
            new InsightSample(Day2, InsightMetric.PriceDelivered, 490),
            new InsightSample(Day1, InsightMetric.Events(Channels.Pos), 100),
            new InsightSample(Day2, InsightMetric.Events(Channels.Pos), 50),
            new InsightSample(Day2, InsightMetric.Events("partner"), 1),
            new InsightSample(Day3.AddDays(5), InsightMetric.Events(Channels.Pos), 1000));

        var summary = await _service.SummarizeAsync(new InsightsPeriod(Day1, Day2), CancellationToken.None);

        Assert.Equal((2L, 970L, 10L), (summary.Prices.Changes, summary.Prices.DeliveriesSucceeded, summary.Prices.DeliveriesFailed));
        Assert.InRange(summary.Prices.PropagationP50Seconds!.Value, 30 * 0.81, 30 * 1.19);
        Assert.Equal([(1L, 480L, 10L), (1L, 490L, 0L)], summary.Prices.PerDay.Select(day => (day.Changes, day.DeliveriesSucceeded, day.DeliveriesFailed)));
        Assert.Equal(151, summary.Events.Events);
        Assert.Equal([.. Channels.All, "partner"], summary.Events.PerChannel.Select(channel => channel.Channel));
        Assert.Equal(150, summary.Events.PerChannel.Single(channel => channel.Channel == Channels.Pos).Events);
    }

    [Fact]
    public async Task Summarize_ReadsTheRulesOnce_ForNamesAndTheirUplift()
    {
        // Every summary lists the rules' uplift (a rule may hold customers out and issue nothing), so it reads the rules once.
        await _service.SummarizeAsync(new InsightsPeriod(Day1, Day3), CancellationToken.None);

        Assert.Equal(1, _rules.ListCalls);
    }

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(1, 4, 0.25)]
    [InlineData(3, 2, 1.5)]
    public void Rate_IsThePartOverTheWhole_ZeroOverNothing(long part, long whole, double rate) => Assert.Equal(rate, InsightsService.Rate(part, whole));

    private (InsightsPeriod? Period, FieldError? Error) Parse(string? from, string? to) => _service.ParsePeriod(from, to);

    private Task RecordAsync(params InsightSample[] samples) => _counters.RecordAsync(samples, CancellationToken.None);

    private static IEnumerable<InsightSample> Ready(DateOnly day, TimeSpan duration, int orders) =>
        Enumerable.Repeat(new InsightSample(day, InsightMetric.PickupReady, Duration: duration), orders);
}
