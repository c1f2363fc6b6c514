using OmniChannel.Core.Insights;
using OmniChannel.Core.Orders;
using OmniChannel.TestSupport.Fakes;
using OmniChannel.Workflows.Bopis;
using OmniChannel.Workflows.Tests.Builders;

namespace OmniChannel.Workflows.Tests.Bopis;

/// <summary>The status step's KPI samples, called directly (no host): one per move to ready, collected or expired.</summary>
public sealed class SetOrderStatusTests
{
    private static readonly DateTimeOffset ReadyAt = PickupOrderBuilder.PlacedAt.AddMinutes(25);

    private readonly InMemoryOrderStore _orders = new();
    private readonly InMemoryInsights _insights = new();
    private readonly InMemoryRefundWatch _watch = new();

    [Fact]
    public async Task Execute_ToReadyTwice_CountsOneReadyOrderWithTheTimeSincePlacing()
    {
        var step = await StepForAsync("o-1");
        var change = new OrderStatusChange("o-1", OrderStatus.Ready, "Waiting for the customer.", ReadyAt) { ReadyAt = ReadyAt };

        Assert.True(await step.ExecuteAsync(change, CancellationToken.None));
        Assert.False(await step.ExecuteAsync(change, CancellationToken.None));

        var sample = Assert.Single(_insights.Samples);
        Assert.Equal(new InsightSample(InsightSample.DayOf(ReadyAt), InsightMetric.PickupReady, Duration: TimeSpan.FromMinutes(25)), sample);
    }

    [Fact]
    public async Task Execute_ReasonOnlyChangeThenExpiry_CountsOnlyTheNoShow()
    {
        var step = await StepForAsync("o-2");
        await step.ExecuteAsync(new OrderStatusChange("o-2", OrderStatus.Reserved, "Overdue.", ReadyAt) { Escalated = true }, CancellationToken.None);
        var expiredAt = ReadyAt.AddDays(3);

        await step.ExecuteAsync(new OrderStatusChange("o-2", OrderStatus.Expired, "Not collected.", expiredAt), CancellationToken.None);

        Assert.Equal([InsightMetric.PickupNoShow], _insights.Samples.Select(sample => sample.Metric));
        Assert.Equal(InsightSample.DayOf(expiredAt), _insights.Samples[0].Day);
    }

    [Fact]
    public async Task Execute_TheCountersAreDown_TheStatusIsStillWritten()
    {
        var step = await StepForAsync("o-3");
        _insights.FailWith = new InvalidOperationException("table unavailable");

        Assert.True(await step.ExecuteAsync(new OrderStatusChange("o-3", OrderStatus.Collected, "Collected.", ReadyAt), CancellationToken.None));

        Assert.Equal(OrderStatus.Collected, _orders.Get("o-3")!.Status);
    }

    private async Task<SetOrderStatus> StepForAsync(string orderId)
    {
        await _orders.SaveAsync(new PickupOrderBuilder(orderId).Build(), null, CancellationToken.None);
        return new SetOrderStatus(_orders, _insights.Counters(), _watch);
    }
}
