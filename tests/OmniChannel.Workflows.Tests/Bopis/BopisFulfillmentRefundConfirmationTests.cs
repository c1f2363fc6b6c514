using Microsoft.DurableTask.Client;
using OmniChannel.Core.Notifications;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;
using OmniChannel.Workflows.Tests.Builders;

namespace OmniChannel.Workflows.Tests.Bopis;

/// <summary>
/// A refund the payment service accepts without settling: the workflow waits for its signed callback
/// (<see cref="BopisWorkflow.RefundSettledEvent"/>) against <see cref="BopisTimings.RefundConfirmWithin"/>, on the
/// in-process Durable Task host.
/// </summary>
public sealed class BopisFulfillmentRefundConfirmationTests : IAsyncLifetime
{
    private BopisTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await BopisTestHost.StartAsync();
        _host.Inventory.Stock(PickupOrderBuilder.StoreId, "SKU-1", onHand: 5);
        _host.Inventory.Stock(PickupOrderBuilder.StoreId, "SKU-2", onHand: 3);
        _host.Payments.Answer = RefundStatus.AwaitingConfirmation;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task RunAsync_RefundAccepted_CallbackSucceedsBeforeTheTimer_EndsRefundedAskingOnce()
    {
        var (order, instanceId) = await CancelAsync("o-confirm", TestTimings.Patient with { RefundConfirmWithin = TimeSpan.FromMinutes(1) });

        var pending = await _host.WaitForProgressAsync(instanceId, progress => progress.Reason.Contains("Refund pending", StringComparison.Ordinal));
        Assert.Equal(OrderStatus.Cancelled, pending.Status);
        Assert.Contains("waiting for the payment service", _host.Orders.Get(order.Id)!.StatusReason, StringComparison.Ordinal);
        Assert.Equal(RefundState.Pending, _host.Orders.Get(order.Id)!.RefundState);
        var watched = Assert.Single(await _host.RefundWatch.ListAsync(10, CancellationToken.None));
        Assert.Equal((order.Id, RefundState.Pending), (watched.OrderId, watched.State));
        await _host.Client.RaiseEventAsync(instanceId, BopisWorkflow.RefundSettledEvent, new RefundSettlement(order.Id + ":refund", Succeeded: true, 44.98m, null));
        var done = await _host.WaitForCompletionAsync(instanceId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.True(done.LastUpdatedAt - done.CreatedAt < TimeSpan.FromMinutes(1), "the timer was cancelled, not waited out");
        var output = done.ReadOutputAs<BopisProgress>()!;
        Assert.Equal(OrderStatus.Cancelled, output.Status);
        Assert.DoesNotContain("Refund", output.Reason, StringComparison.Ordinal);
        Assert.Equal(output.Reason, _host.Orders.Get(order.Id)!.StatusReason);
        Assert.Equal((RefundState.None, null), (_host.Orders.Get(order.Id)!.RefundState, _host.Orders.Get(order.Id)!.RefundStateSince));
        Assert.Empty(await _host.RefundWatch.ListAsync(10, CancellationToken.None));
        Assert.Equal([order.Id + ":refund"], _host.Payments.Asked);
        Assert.Equal("pay-o-confirm", Assert.Single(_host.Payments.Refunds).PaymentReference);
        Assert.Contains("we refunded 44.98", _host.Notifications.Messages.Single(message => message.Id == order.Id + ":cancelled").Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_RefundNotConfirmedInTime_IsAskedAgainWithTheSameId_ThenTheCallbackSettlesIt()
    {
        var (order, instanceId) = await CancelAsync("o-ask-again", TestTimings.Patient with { RefundConfirmWithin = TimeSpan.FromSeconds(1) });

        var askedAgain = await _host.WaitForProgressAsync(instanceId, progress => progress.Reason.Contains("asked again", StringComparison.Ordinal));
        Assert.Contains("Refund pending", askedAgain.Reason, StringComparison.Ordinal);
        Assert.True(_host.Payments.Asked.Count >= 2);
        Assert.All(_host.Payments.Asked, refundId => Assert.Equal(order.Id + ":refund", refundId));
        await _host.Client.RaiseEventAsync(instanceId, BopisWorkflow.RefundSettledEvent, new RefundSettlement(order.Id + ":refund", Succeeded: true, 44.98m, null));
        var done = await _host.WaitForCompletionAsync(instanceId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.DoesNotContain("Refund", done.ReadOutputAs<BopisProgress>()!.Reason, StringComparison.Ordinal);
        Assert.Single(_host.Payments.Refunds);
    }

    [Fact]
    public async Task RunAsync_RefundCallbackFailed_EndsWithRefundFailedNeedsAttention_AndTellsTheCustomerItIsDelayed()
    {
        var (order, instanceId) = await CancelAsync("o-refused", TestTimings.Patient with { RefundConfirmWithin = TimeSpan.FromMinutes(1) });
        await _host.WaitForProgressAsync(instanceId, progress => progress.Reason.Contains("Refund pending", StringComparison.Ordinal));

        // Another refund's word first: not this one's, so it changes nothing.
        await _host.Client.RaiseEventAsync(instanceId, BopisWorkflow.RefundSettledEvent, new RefundSettlement(order.Id + ":return-1", Succeeded: true, 5m, null));
        await _host.Client.RaiseEventAsync(instanceId, BopisWorkflow.RefundSettledEvent, new RefundSettlement(order.Id + ":refund", Succeeded: false, null, "card account closed"));
        var done = await _host.WaitForCompletionAsync(instanceId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var output = done.ReadOutputAs<BopisProgress>()!;
        Assert.Equal(OrderStatus.Cancelled, output.Status);
        Assert.Contains("Refund failed — needs attention", output.Reason, StringComparison.Ordinal);
        Assert.Contains("card account closed", output.Reason, StringComparison.Ordinal);
        Assert.Equal(output.Reason, _host.Orders.Get(order.Id)!.StatusReason);
        Assert.Equal(RefundState.NeedsAttention, _host.Orders.Get(order.Id)!.RefundState);
        var watched = Assert.Single(await _host.RefundWatch.ListAsync(10, CancellationToken.None));
        Assert.Equal((order.Id, RefundState.NeedsAttention), (watched.OrderId, watched.State));
        Assert.Contains("card account closed", watched.Reason, StringComparison.Ordinal);
        Assert.Equal([order.Id + ":refund"], _host.Payments.Asked);
        Assert.Contains("delayed", _host.Notifications.Messages.Single(message => message.Id == order.Id + ":cancelled").Text, StringComparison.Ordinal);
        Assert.Equal(0, _host.Inventory.Get(PickupOrderBuilder.StoreId, "SKU-1").Reserved);
    }

    [Fact]
    public async Task RunAsync_RefundNeverConfirmedWithinRetryWindow_EndsWithRefundFailedNeedsAttention()
    {
        var (order, instanceId) = await CancelAsync("o-silent", TestTimings.Patient with { RefundConfirmWithin = TimeSpan.FromSeconds(1), RefundRetryFor = TimeSpan.FromSeconds(2) });

        var done = await _host.WaitForCompletionAsync(instanceId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var output = done.ReadOutputAs<BopisProgress>()!;
        Assert.Contains("Refund failed — needs attention: the payment service never confirmed it", output.Reason, StringComparison.Ordinal);
        Assert.InRange(_host.Payments.Asked.Count, 2, 4);
        Assert.Equal(output.Reason, _host.Orders.Get(order.Id)!.StatusReason);
    }

    [Fact]
    public async Task RunAsync_InstanceStartedBeforeConfirmations_TakesAnAcceptedRefundAsDone()
    {
        // No RefundConfirmWithin in its input: it runs as it was started to, with no wait and no new step.
        var (order, instanceId) = await CancelAsync("o-old-input", TestTimings.Patient);

        var done = await _host.WaitForCompletionAsync(instanceId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.DoesNotContain("Refund", done.ReadOutputAs<BopisProgress>()!.Reason, StringComparison.Ordinal);
        Assert.Equal([order.Id + ":refund"], _host.Payments.Asked);
        Assert.Equal(["cancelled"], _host.Notifications.Purposes(order.Id, Audience.Customer));
    }

    private async Task<(PickupOrder Order, string InstanceId)> CancelAsync(string orderId, BopisTimings timings)
    {
        var order = new PickupOrderBuilder(orderId).Build();
        order.PaymentReference = "pay-" + orderId;
        var instanceId = await _host.StartAsync(order, timings);
        await _host.WaitForStatusAsync(instanceId, OrderStatus.Reserved);
        await _host.RaiseAsync(instanceId, BopisWorkflow.CancelledEvent);
        return (order, instanceId);
    }
}
