using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Core.Events;
using OmniChannel.Core.Insights;
using OmniChannel.Core.Ports;

namespace OmniChannel.Azure.IntegrationTests.Insights;

/// <summary>
/// The KPI counters table on Azurite, and the summary route over it. The table is shared by the collection and
/// partitioned by day, so every test works on days of its own, far from any other test's.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class InsightsStoreTests(ServersFixture servers)
{
    [Fact]
    public async Task Record_TwentyIncrementsOfOneRowAtOnce_NoneIsLost()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var recorder = backbone.Get<IInsightsRecorder>();
        var day = OwnDay();
        var metric = InsightMetric.CouponsIssued("rule/with#odd?chars|" + Guid.NewGuid().ToString("N")[..6]);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => recorder.RecordAsync([new InsightSample(day, metric)], CancellationToken.None)));

        var counter = Assert.Single(await backbone.Get<IInsightsReader>().ReadAsync(day, day, CancellationToken.None));
        Assert.Equal((day, metric, 20L), (counter.Day, counter.Metric, counter.Count));
        Assert.Null(counter.Histogram);
    }

    [Fact]
    public async Task Record_TimedSamplesInParallel_TheHistogramHoldsEveryDuration()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var recorder = backbone.Get<IInsightsRecorder>();
        var day = OwnDay();

        await Task.WhenAll(Enumerable.Range(1, 20).Select(minutes =>
            recorder.RecordAsync([new InsightSample(day, InsightMetric.PickupReady, Duration: TimeSpan.FromMinutes(minutes))], CancellationToken.None)));

        var counter = Assert.Single(await backbone.Get<IInsightsReader>().ReadAsync(day, day, CancellationToken.None));
        Assert.Equal((20L, 20L), (counter.Count, counter.Histogram!.Total));
        Assert.InRange(counter.Histogram.Percentile(0.5)!.Value, 600 * 0.81, 600 * 1.19);
    }

    [Fact]
    public async Task Read_APeriod_AnswersItsDaysOnly_OneCounterPerDayAndMetric_SamplesOfOneCallAddedUp()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var recorder = backbone.Get<IInsightsRecorder>();
        var first = OwnDay();
        await recorder.RecordAsync(
        [
            new InsightSample(first.AddDays(-1), InsightMetric.Events(Channels.Web), 100),
            new InsightSample(first, InsightMetric.Events(Channels.Web), 3),
            new InsightSample(first, InsightMetric.Events(Channels.Web), 4),
            new InsightSample(first, InsightMetric.Events(Channels.Pos), 1),
            new InsightSample(first.AddDays(2), InsightMetric.PriceChanges, Duration: TimeSpan.FromSeconds(30)),
            new InsightSample(first.AddDays(3), InsightMetric.PriceFailed, 9),
        ], CancellationToken.None);

        var counters = await backbone.Get<IInsightsReader>().ReadAsync(first, first.AddDays(2), CancellationToken.None);

        Assert.Equal(
            [(first, InsightMetric.Events(Channels.Pos), 1L), (first, InsightMetric.Events(Channels.Web), 7L), (first.AddDays(2), InsightMetric.PriceChanges, 1L)],
            counters.Select(counter => (counter.Day, counter.Metric, counter.Count)).OrderBy(row => row.Day).ThenBy(row => row.Metric.Subject, StringComparer.Ordinal));
    }

    [Fact]
    public async Task SummaryRoute_AnswersThePeriodsKpis_ABadParameterIs400NamingIt()
    {
        await using var host = await HttpBackbone.StartAsync(servers);
        var day = OwnDay();
        await host.Backbone.Get<IInsightsRecorder>().RecordAsync(
            [new InsightSample(day, InsightMetric.PickupReady, Duration: TimeSpan.FromMinutes(20)), new InsightSample(day, InsightMetric.PickupNoShow)],
            CancellationToken.None);
        var from = day.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var to = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var summary = await host.Client.GetFromJsonAsync<JsonObject>($"/api/insights/summary?from={from}&to={to}");

        Assert.Equal(1, summary!["pickup"]!["ordersReady"]!.GetValue<long>());
        Assert.Equal(1, summary["pickup"]!["noShowRate"]!.GetValue<double>());
        Assert.Equal(2, summary["pickup"]!["perDay"]!.AsArray().Count);
        var bad = await host.Client.GetAsync($"/api/insights/summary?from={to}&to={from}");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        var problem = await bad.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("to", problem!["errors"]![0]!["field"]!.GetValue<string>());
    }

    /// <summary>A day no other test writes: a random one in the 22nd century.</summary>
    private static DateOnly OwnDay() => new DateOnly(2100, 1, 1).AddDays(Random.Shared.Next(0, 30_000) * 4);
}
