using System.Globalization;
using OmniChannel.Core.Events;
using OmniChannel.Core.Ports;

namespace OmniChannel.Core.Insights;

/// <summary>The UTC days a summary covers, both inclusive.</summary>
public readonly record struct InsightsPeriod(DateOnly From, DateOnly To)
{
    public int Days => To.DayNumber - From.DayNumber + 1;

    public IEnumerable<DateOnly> EachDay() => Enumerable.Range(0, Days).Select(From.AddDays);
}

/// <summary>
/// The KPIs of <c>GET /api/insights/summary</c>: reads the daily counters of a period and sums them up per day, per
/// rule and per channel, with percentiles from the merged duration histograms. Every per-day list has every day of
/// the period (zero when nothing happened), so charts get a continuous axis.
/// </summary>
public sealed class InsightsService(IInsightsReader reader, IRuleStore rules, TimeProvider clock, IAttributionStore attribution)
{
    /// <summary>The period when neither end is given: this many days, ending today.</summary>
    public const int DefaultDays = 30;

    /// <summary>A year, leap day included: the most one summary reads (one table query over as many partitions).</summary>
    public const int MaxDays = 366;

    private const string DayFormat = "yyyy-MM-dd";

    /// <summary>
    /// The period asked for: <paramref name="to"/> defaults to today (UTC), <paramref name="from"/> to 30 days ending
    /// at <paramref name="to"/>. Answers a field error naming the parameter for a bad date, an end before the start or
    /// a period over <see cref="MaxDays"/> days.
    /// </summary>
    public (InsightsPeriod? Period, FieldError? Error) ParsePeriod(string? from, string? to)
    {
        DateOnly end;
        if (string.IsNullOrEmpty(to))
        {
            end = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        }
        else if (!TryParseDay(to, out end))
        {
            return (null, new FieldError("to", $"'to' must be a UTC date as yyyy-MM-dd, such as 2026-11-25 (got '{to}')."));
        }

        DateOnly start;
        if (string.IsNullOrEmpty(from))
        {
            start = end.AddDays(-(DefaultDays - 1));
        }
        else if (!TryParseDay(from, out start))
        {
            return (null, new FieldError("from", $"'from' must be a UTC date as yyyy-MM-dd, such as 2026-11-01 (got '{from}')."));
        }

        if (end < start)
        {
            // Name the end the caller chose; when only 'from' was given, it is 'from' that lies after today.
            return string.IsNullOrEmpty(to)
                ? (null, new FieldError("from", $"'from' ({Text(start)}) is after 'to' (default today, {Text(end)})."))
                : (null, new FieldError("to", $"'to' ({Text(end)}) is before 'from' ({Text(start)})."));
        }

        var period = new InsightsPeriod(start, end);
        return period.Days > MaxDays
            ? (null, new FieldError("from", string.Create(CultureInfo.InvariantCulture, $"The period {Text(start)} to {Text(end)} covers {period.Days} days; at most {MaxDays} can be summarized at once.")))
            : (period, null);
    }

    public async Task<InsightsSummary> SummarizeAsync(InsightsPeriod period, CancellationToken cancellationToken)
    {
        var counters = await reader.ReadAsync(period.From, period.To, cancellationToken);
        var all = (await rules.ListAsync(cancellationToken)).Select(rule => rule.Value).ToList();
        var names = all.ToDictionary(rule => rule.Id, rule => rule.Name, StringComparer.Ordinal);
        var totals = await attribution.ReadTotalsAsync(all.Select(rule => rule.Id).ToList(), period.From, period.To, cancellationToken);
        return Summarize(period, counters, names) with { Uplift = Uplift(all, totals) };
    }

    /// <summary>
    /// Per rule that holds customers out or has attributed windows in the period: both groups and the uplift. A rule
    /// deleted since is left out (its windows are kept under its id).
    /// </summary>
    public static IReadOnlyList<RuleUplift> Uplift(IReadOnlyList<Remarketing.RemarketingRule> rules, IReadOnlyList<Remarketing.AttributionTotals> totals)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(totals);
        return rules
            .Where(rule => rule.HoldoutPercent > 0 || totals.Any(total => total.RuleId == rule.Id))
            .Select(rule =>
            {
                var treated = Group(totals, rule.Id, Remarketing.AttributionGroup.Treated);
                var heldOut = Group(totals, rule.Id, Remarketing.AttributionGroup.HeldOut);
                var estimate = UpliftMath.Estimate(Moments(treated), Moments(heldOut));
                return new RuleUplift(rule.Id, rule.Name, rule.HoldoutPercent, rule.AttributionDays, treated, heldOut, Rate(treated.Redeemers, treated.Customers),
                    estimate?.Uplift, estimate?.Low, estimate?.High);
            })
            .OrderBy(rule => rule.RuleId, StringComparer.Ordinal)
            .ToList();
    }

    private static GroupSales Group(IReadOnlyList<Remarketing.AttributionTotals> totals, string ruleId, Remarketing.AttributionGroup group)
    {
        var days = totals.Where(total => total.RuleId == ruleId && total.Group == group).ToList();
        var customers = days.Sum(day => day.Customers);
        var sales = days.Sum(day => day.Sales);
        return new GroupSales(customers, days.Sum(day => day.Purchases), days.Sum(day => day.Redeemers), sales,
            customers == 0 ? null : (double)sales / customers, days.Sum(day => day.SalesSquares));
    }

    private static GroupMoments Moments(GroupSales group) => new(group.Customers, group.Sales, group.SalesSquares);

    /// <summary>The summary of the counters (those outside the period are ignored); rule names by rule id, a missing one meaning the rule is gone.</summary>
    public static InsightsSummary Summarize(InsightsPeriod period, IReadOnlyList<DailyCounter> counters, IReadOnlyDictionary<string, string> ruleNames)
    {
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentNullException.ThrowIfNull(ruleNames);
        var table = new CounterTable(counters.Where(counter => counter.Day >= period.From && counter.Day <= period.To).ToList());
        var days = period.EachDay().ToList();
        return new InsightsSummary(period.From, period.To, Coupons(table, days, ruleNames), Pickup(table, days), Prices(table, days), Events(table, days));
    }

    /// <summary>A share, 0 when there is nothing to divide by.</summary>
    public static double Rate(long part, long whole) => whole == 0 ? 0 : (double)part / whole;

    private static CouponInsights Coupons(CounterTable table, List<DateOnly> days, IReadOnlyDictionary<string, string> ruleNames)
    {
        var perDay = days.Select(day => new DailyCoupons(day, table.Count(day, InsightMetric.CouponsIssuedName), table.Count(day, InsightMetric.CouponsRedeemedName))).ToList();
        var perRule = table.Subjects(InsightMetric.CouponsIssuedName).Union(table.Subjects(InsightMetric.CouponsRedeemedName))
            .Select(ruleId =>
            {
                var issued = table.Count(InsightMetric.CouponsIssued(ruleId));
                var redeemed = table.Count(InsightMetric.CouponsRedeemed(ruleId));
                return new RuleCoupons(ruleId, ruleNames.GetValueOrDefault(ruleId), issued, redeemed, Rate(redeemed, issued));
            })
            .OrderByDescending(rule => rule.Issued)
            .ThenBy(rule => rule.RuleId, StringComparer.Ordinal)
            .ToList();
        long totalIssued = perDay.Sum(day => day.Issued), totalRedeemed = perDay.Sum(day => day.Redeemed);
        return new CouponInsights(totalIssued, totalRedeemed, Rate(totalRedeemed, totalIssued), perDay, perRule);
    }

    private static PickupInsights Pickup(CounterTable table, List<DateOnly> days)
    {
        var perDay = days.Select(day =>
        {
            var ready = table.Histogram(day, InsightMetric.PickupReady);
            return new DailyPickup(day, table.Count(day, InsightMetric.PickupReady.Name), table.Count(day, InsightMetric.PickupCollected.Name), table.Count(day, InsightMetric.PickupNoShow.Name),
                ready.Percentile(0.5), ready.Percentile(0.9), table.Count(day, InsightMetric.PickupReturns.Name), table.Count(day, InsightMetric.PickupReturnedUnits.Name));
        }).ToList();
        var all = table.Histogram(InsightMetric.PickupReady);
        long collected = perDay.Sum(day => day.Collected), noShows = perDay.Sum(day => day.NoShows);
        return new PickupInsights(perDay.Sum(day => day.Ready), all.Percentile(0.5), all.Percentile(0.9), collected, noShows, Rate(noShows, collected + noShows), perDay,
            perDay.Sum(day => day.Returns), perDay.Sum(day => day.ReturnedUnits));
    }

    private static PriceInsights Prices(CounterTable table, List<DateOnly> days)
    {
        var perDay = days.Select(day => new DailyPrices(
            day,
            table.Count(day, InsightMetric.PriceChanges.Name),
            table.Count(day, InsightMetric.PriceDelivered.Name),
            table.Count(day, InsightMetric.PriceFailed.Name),
            table.Histogram(day, InsightMetric.PriceChanges).Percentile(0.9))).ToList();
        var all = table.Histogram(InsightMetric.PriceChanges);
        return new PriceInsights(perDay.Sum(day => day.Changes), all.Percentile(0.5), all.Percentile(0.9), perDay.Sum(day => day.DeliveriesSucceeded), perDay.Sum(day => day.DeliveriesFailed), perDay);
    }

    private static IngestInsights Events(CounterTable table, List<DateOnly> days)
    {
        // Every known channel, zero or not, so a chart's legend does not change with the period; then any other seen.
        var channels = Channels.All.Union(table.Subjects(InsightMetric.EventsName).Order(StringComparer.Ordinal)).ToList();
        var perChannel = channels.Select(channel => new ChannelCount(channel, table.Count(InsightMetric.Events(channel)))).ToList();
        var perDay = days.SelectMany(day => channels.Select(channel => new DailyChannelCount(day, channel, table.Count(day, InsightMetric.Events(channel))))).ToList();
        return new IngestInsights(perChannel.Sum(channel => channel.Events), perChannel, perDay);
    }

    private static bool TryParseDay(string text, out DateOnly day) =>
        DateOnly.TryParseExact(text, DayFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    private static string Text(DateOnly day) => day.ToString(DayFormat, CultureInfo.InvariantCulture);

    /// <summary>The period's counters, by day and metric, summed where a day holds a metric twice.</summary>
    private sealed class CounterTable(List<DailyCounter> counters)
    {
        private readonly List<DailyCounter> _counters = counters;

        // A year of days times every channel asks per day and name: look those up rather than scan.
        private readonly ILookup<(DateOnly Day, string Name), DailyCounter> _byDay = counters.ToLookup(counter => (counter.Day, counter.Metric.Name));

        /// <summary>A day's total of a metric over all its subjects.</summary>
        public long Count(DateOnly day, string name) => _byDay[(day, name)].Sum(counter => counter.Count);

        public long Count(DateOnly day, InsightMetric metric) => _byDay[(day, metric.Name)].Where(counter => counter.Metric == metric).Sum(counter => counter.Count);

        /// <summary>The period's total of one metric and subject.</summary>
        public long Count(InsightMetric metric) => _counters.Where(counter => counter.Metric == metric).Sum(counter => counter.Count);

        public IEnumerable<string> Subjects(string name) =>
            _counters.Where(counter => counter.Metric.Name == name && counter.Metric.Subject is not null).Select(counter => counter.Metric.Subject!).Distinct(StringComparer.Ordinal);

        public DurationHistogram Histogram(DateOnly day, InsightMetric metric) => Merged(_byDay[(day, metric.Name)].Where(counter => counter.Metric == metric));

        public DurationHistogram Histogram(InsightMetric metric) => Merged(_counters.Where(counter => counter.Metric == metric));

        private static DurationHistogram Merged(IEnumerable<DailyCounter> counters)
        {
            var merged = new DurationHistogram();
            foreach (var counter in counters)
            {
                if (counter.Histogram is { } histogram)
                {
                    merged.Merge(histogram);
                }
            }

            return merged;
        }
    }
}
