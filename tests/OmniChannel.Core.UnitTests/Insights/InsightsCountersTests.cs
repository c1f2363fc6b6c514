using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using OmniChannel.Core.Insights;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Remarketing;

namespace OmniChannel.Core.UnitTests.Insights;

public sealed class InsightsCountersTests
{
    private static readonly DateTimeOffset IssuedAt = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task CouponIssuedAsync_StoreDown_StillCountedOnTheOmniChannelMeterPerRule()
    {
        // The meter is process-wide and tests run side by side: a rule id of this test's own tells its measurements apart.
        var ruleId = "rule-" + Guid.NewGuid().ToString("N");
        using var issued = new MetricCollector<long>(null, KpiMeter.Name, KpiMeter.InstrumentName(InsightMetric.CouponsIssuedName));
        var recorder = new Mock<IInsightsRecorder>();
        recorder.Setup(store => store.RecordAsync(It.IsAny<IReadOnlyList<InsightSample>>(), It.IsAny<CancellationToken>())).ThrowsAsync(new TransientStorageException("Tables down", null, new IOException("connection refused")));
        var counters = new InsightsCounters(recorder.Object, NullLogger<InsightsCounters>.Instance);

        await counters.CouponIssuedAsync(Coupon(ruleId), CancellationToken.None);
        await counters.CouponIssuedAsync(Coupon(ruleId), CancellationToken.None);

        var mine = issued.GetMeasurementSnapshot().Where(measurement => measurement.MatchesTags(new KeyValuePair<string, object?>(KpiMeter.SubjectTag, ruleId))).ToList();
        Assert.Equal(2, mine.Sum(measurement => measurement.Value));
        recorder.Verify(store => store.RecordAsync(It.IsAny<IReadOnlyList<InsightSample>>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task OrderStatusChangedAsync_Ready_RecordsTheTimeToReadyInSecondsOnItsHistogram()
    {
        using var readyTimes = new MetricCollector<double>(null, KpiMeter.Name, KpiMeter.InstrumentName(InsightMetric.PickupReady.Name) + ".duration");
        var counters = new InsightsCounters(Mock.Of<IInsightsRecorder>(), NullLogger<InsightsCounters>.Instance);
        var order = new Core.Orders.PickupOrder { Id = "o-1", CustomerId = "c-1", StoreId = "0004", Lines = [], Status = Core.Orders.OrderStatus.Ready, PlacedAt = IssuedAt, ReadyAt = IssuedAt.AddSeconds(4321.5) };

        await counters.OrderStatusChangedAsync(order, IssuedAt.AddHours(2), CancellationToken.None);

        // Other tests may record ready orders meanwhile; this one's duration is its own.
        Assert.Contains(readyTimes.GetMeasurementSnapshot(), measurement => measurement.Value == 4321.5);
    }

    private static Coupon Coupon(string ruleId) =>
        new("OC-TEST", "c-1", ruleId, "0004", null, new Offer(OfferKind.Percent, 10, 0, 48), IssuedAt, IssuedAt.AddHours(48), CouponState.Issued, "remarketing-1");
}
