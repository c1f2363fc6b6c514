using Microsoft.Extensions.Logging;
using OmniChannel.Core.Events;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Remarketing;

namespace OmniChannel.Core.Insights;

/// <summary>
/// The KPI samples the business steps record, in one place: to the insights store (the daily counters the console
/// shows) and as OpenTelemetry metrics (<see cref="KpiMeter"/>). A counter is a side matter: a failure to record is
/// logged and swallowed, never allowed to fail the step that called (only a cancellation of the step passes through).
/// </summary>
public sealed partial class InsightsCounters(IInsightsRecorder recorder, ILogger<InsightsCounters> logger)
{
    /// <summary>Events ingest stored for the first time, per channel, on the UTC day they were ingested.</summary>
    public Task EventsIngestedAsync(IEnumerable<OmniEvent> stored, DateTimeOffset ingestedAt, CancellationToken cancellationToken)
    {
        var day = InsightSample.DayOf(ingestedAt);
        var samples = stored
            .GroupBy(omniEvent => omniEvent.Channel, StringComparer.Ordinal)
            .Select(channel => new InsightSample(day, InsightMetric.Events(channel.Key), channel.LongCount()))
            .ToList();
        return RecordAsync(samples, cancellationToken);
    }

    public Task CouponIssuedAsync(Coupon coupon, CancellationToken cancellationToken) =>
        RecordAsync([new InsightSample(InsightSample.DayOf(coupon.IssuedAt), InsightMetric.CouponsIssued(coupon.RuleId))], cancellationToken);

    /// <summary>On the day of the sale that redeemed it.</summary>
    public Task CouponRedeemedAsync(Coupon coupon, CancellationToken cancellationToken) =>
        RecordAsync([new InsightSample(InsightSample.DayOf(coupon.RedeemedAt ?? coupon.IssuedAt), InsightMetric.CouponsRedeemed(coupon.RuleId))], cancellationToken);

    /// <summary>
    /// A pickup order moved to <see cref="PickupOrder.Status"/> at <paramref name="at"/>: ready (with the time since
    /// it was placed), collected, or expired (a no-show). Other statuses count nothing.
    /// </summary>
    public Task OrderStatusChangedAsync(PickupOrder order, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var day = InsightSample.DayOf(at);
        InsightSample? sample = order.Status switch
        {
            OrderStatus.Ready => new(day, InsightMetric.PickupReady, Duration: (order.ReadyAt ?? at) - order.PlacedAt),
            OrderStatus.Collected => new(day, InsightMetric.PickupCollected),
            OrderStatus.Expired => new(day, InsightMetric.PickupNoShow),
            _ => null,
        };
        return sample is null ? Task.CompletedTask : RecordAsync([sample], cancellationToken);
    }

    /// <summary>A return of a collected order completed at <paramref name="at"/>: one return and its units.</summary>
    public Task OrderReturnedAsync(OrderReturn record, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var day = InsightSample.DayOf(at);
        return RecordAsync([new InsightSample(day, InsightMetric.PickupReturns), new InsightSample(day, InsightMetric.PickupReturnedUnits, record.Units)], cancellationToken);
    }

    /// <summary>
    /// A run of a price change's fan-out finished at <paramref name="finishedAt"/>: the first finish of a change counts
    /// the change and its propagation time (accepted → finished); every run counts the subscribers it newly delivered
    /// to and those it left failed.
    /// </summary>
    public Task PriceRunFinishedAsync(DateTimeOffset acceptedAt, DateTimeOffset finishedAt, bool firstFinish, int newlyDelivered, int failed, CancellationToken cancellationToken)
    {
        var day = InsightSample.DayOf(finishedAt);
        var samples = new List<InsightSample>(3);
        if (firstFinish)
        {
            samples.Add(new InsightSample(day, InsightMetric.PriceChanges, Duration: finishedAt - acceptedAt));
        }

        if (newlyDelivered > 0)
        {
            samples.Add(new InsightSample(day, InsightMetric.PriceDelivered, newlyDelivered));
        }

        if (failed > 0)
        {
            samples.Add(new InsightSample(day, InsightMetric.PriceFailed, failed));
        }

        return RecordAsync(samples, cancellationToken);
    }

    private async Task RecordAsync(IReadOnlyList<InsightSample> samples, CancellationToken cancellationToken)
    {
        if (samples.Count == 0)
        {
            return;
        }

        foreach (var sample in samples)
        {
            KpiMeter.Record(sample);
        }

        try
        {
            await recorder.RecordAsync(samples, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogNotRecorded(logger, exception, string.Join(", ", samples.Select(sample => $"{sample.Day:yyyy-MM-dd} {sample.Metric.Name}|{sample.Metric.Subject} +{sample.Count}")));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "KPI counters not recorded (the business step went on): {Samples}")]
    private static partial void LogNotRecorded(ILogger logger, Exception exception, string samples);
}
