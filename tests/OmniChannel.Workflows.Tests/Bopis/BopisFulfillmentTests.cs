using Microsoft.DurableTask.Client;
using OmniChannel.Core.Insights;
using OmniChannel.Core.Notifications;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Profiles;
using OmniChannel.Workflows.Bopis;
using OmniChannel.Workflows.Tests.Builders;

namespace OmniChannel.Workflows.Tests.Bopis;

/// <summary>The BOPIS orchestration, run for real on the in-process Durable Task host, one host per test.</summary>
public sealed class BopisFulfillmentTests : IAsyncLifetime
{
    private const string Store = PickupOrderBuilder.StoreId;

    private BopisTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await BopisTestHost.StartAsync();
        _host.Inventory.Stock(Store, "SKU-1", onHand: 5);
        _host.Inventory.Stock(Store, "SKU-2", onHand: 3);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task RunAsync_PickedThenCollected_HandsOverStockAndCompletes()
    {
        var order = new PickupOrderBuilder("o-happy").Build();
        var instanceId = await _host.StartAsync(order, TestTimings.Patient);

        await _host.WaitForStatusAsync(instanceId, OrderStatus.Reserved);
        Assert.Equal(2, _host.Inventory.Get(Store, "SKU-1").Reserved);
        Assert.Equal(["pick"], _host.Notifications.Purposes(order.Id, Audience.Store));
        var reserved = _host.Orders.Get(order.Id)!;
        Assert.Equal(OrderStatus.Reserved, reserved.Status);
        Assert.Equal(reserved.UpdatedAt + TestTimings.Patient.PickSla, reserved.PickDueAt);

        await _host.RaiseAsync(instanceId, BopisWorkflow.PickedEvent);
        await _host.WaitForStatusAsync(instanceId, OrderStatus.Ready);
        Assert.Equal(["ready"], _host.Notifications.Purposes(order.Id, Audience.Customer));
        var ready = _host.Orders.Get(order.Id)!;
        Assert.Equal(OrderStatus.Ready, ready.Status);
        Assert.Equal(ready.ReadyAt + TestTimings.Patient.PickupWindow, ready.CollectBy);

        await _host.RaiseAsync(instanceId, BopisWorkflow.CollectedEvent);
        var done = await _host.WaitForCompletionAsync(instanceId);

        AssertCompletedBeforeAnyTimer(done, TestTimings.Patient);
        Assert.Equal(OrderStatus.Collected, done.ReadOutputAs<BopisProgress>()!.Status);
        Assert.Equal(OrderStatus.Collected, done.ReadCustomStatusAs<BopisProgress>()!.Status);
        var sku1 = _host.Inventory.Get(Store, "SKU-1");
        Assert.Equal((3, 0), (sku1.OnHand, sku1.Reserved));
        Assert.Empty(sku1.Reservations);
        var sku2 = _host.Inventory.Get(Store, "SKU-2");
        Assert.Equal((2, 0), (sku2.OnHand, sku2.Reserved));
        var collected = _host.Orders.Get(order.Id)!;
        Assert.Equal(OrderStatus.Collected, collected.Status);
        Assert.False(collected.Escalated);
        var profile = _host.Profiles.Get("customer:" + PickupOrderBuilder.CustomerId)!;
        Assert.Equal(JourneyStage.Collected, profile.Stage);
        Assert.Empty(profile.OpenOrders);
        var readySample = _host.Insights.Samples.Single(sample => sample.Metric == InsightMetric.PickupReady);
        Assert.Equal(ready.ReadyAt - order.PlacedAt, readySample.Duration);
        Assert.Equal((1L, 1L, 0L), (_host.Insights.Total(InsightMetric.PickupReady), _host.Insights.Total(InsightMetric.PickupCollected), _host.Insights.Total(InsightMetric.PickupNoShow)));
        Assert.Empty(_host.Payments.Refunds);
        Assert.Equal(["pick"], _host.Notifications.Purposes(order.Id, Audience.Store));
        Assert.Equal(["ready"], _host.Notifications.Purposes(order.Id, Audience.Customer));
    }

    [Fact]
    public async Task RunAsync_PickedAfterSla_EscalatesToStoreThenCompletes()
    {
        var order = new PickupOrderBuilder("o-late").Build();
        var instanceId = await _host.StartAsync(order, TestTimings.ShortSla);

        await _host.WaitForProgressAsync(instanceId, progress => progress.Reason == BopisTexts.Overdue);
        Assert.Equal(["pick", "pick-overdue"], _host.Notifications.Purposes(order.Id, Audience.Store));
        var overdue = _host.Orders.Get(order.Id)!;
        Assert.Equal(OrderStatus.Reserved, overdue.Status);
        Assert.True(overdue.Escalated);

        await _host.RaiseAsync(instanceId, BopisWorkflow.PickedEvent);
        await _host.WaitForStatusAsync(instanceId, OrderStatus.Ready);
        await _host.RaiseAsync(instanceId, BopisWorkflow.CollectedEvent);
        var done = await _host.WaitForCompletionAsync(instanceId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(OrderStatus.Collected, done.ReadOutputAs<BopisProgress>()!.Status);
        var collected = _host.Orders.Get(order.Id)!;
        Assert.Equal(OrderStatus.Collected, collected.Status);
        Assert.True(collected.Escalated);
        Assert.Equal(["pick", "pick-overdue"], _host.Notifications.Purposes(order.Id, Audience.Store));
        Assert.Equal(3, _host.Inventory.Get(Store, "SKU-1").OnHand);
    }

    [Fact]
    public async Task RunAsync_StoreInAnotherTimeZone_MessagesNameTheStoresLocalTime()
    {
        var order = new PickupOrderBuilder("o-denver").Build();
        var instanceId = await _host.StartAsync(order, TestTimings.ShortWindow, "America/Denver");
        await _host.WaitForStatusAsync(instanceId, OrderStatus.Reserved);

        var pickTask = _host.Notifications.Messages.Single(message => message.Id == order.Id + ":pick");
        var dueAt = _host.Orders.Get(order.Id)!.PickDueAt!.Value;
        var denver = TimeZoneInfo.ConvertTime(dueAt, TimeZoneInfo.FindSystemTimeZoneById("America/Denver"));
        Assert.Contains(denver.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) + " America/Denver", pickTask.Text, StringComparison.Ordinal);
        await _host.RaiseAsync(instanceId, BopisWorkflow.CancelledEvent);
        await _host.WaitForCompletionAsync(instanceId);
    }

    [Fact]
    public async Task RunAsync_NeverCollected_RemindsThenExpiresReleasesAndRefundsOnce()
    {
        var order = new PickupOrderBuilder("o-noshow").Build();
        var instanceId = await _host.StartAsync(order, TestTimings.ShortWindow);
        await _host.RaiseAsync(instanceId, BopisWorkflow.PickedEvent);

        var done = await _host.WaitForCompletionAsync(instanceId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var output = done.ReadOutputAs<BopisProgress>()!;
        Assert.Equal(OrderStatus.Expired, output.Status);
        Assert.Equal(["ready", "reminder", "expired"], _host.Notifications.Purposes(order.Id, Audience.Customer));
        Assert.Equal(["pick", "put-back"], _host.Notifications.Purposes(order.Id, Audience.Store));
        var expired = _host.Orders.Get(order.Id)!;
        var reminder = _host.Notifications.Messages.Single(message => message.Id == order.Id + ":reminder");
        Assert.InRange(reminder.At - expired.ReadyAt!.Value, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3));
        var refund = Assert.Single(_host.Payments.Refunds);
        Assert.Equal((order.Id + ":refund", order.Id, 44.98m), (refund.RefundId, refund.OrderId, refund.Amount));
        Assert.Equal(1, _host.Payments.Calls);
        var sku1 = _host.Inventory.Get(Store, "SKU-1");
        Assert.Equal((5, 0), (sku1.OnHand, sku1.Reserved));
        Assert.Equal(0, _host.Inventory.Get(Store, "SKU-2").Reserved);
        Assert.Equal(OrderStatus.Expired, expired.Status);
        Assert.StartsWith("Not collected by", expired.StatusReason, StringComparison.Ordinal);
        Assert.Equal(expired.StatusReason, output.Reason);
        var profile = _host.Profiles.Get("customer:" + PickupOrderBuilder.CustomerId)!;
        Assert.Equal(JourneyStage.Browsing, profile.Stage);
        Assert.Empty(profile.OpenOrders);
        Assert.Equal((1L, 0L, 1L), (_host.Insights.Total(InsightMetric.PickupReady), _host.Insights.Total(InsightMetric.PickupCollected), _host.Insights.Total(InsightMetric.PickupNoShow)));
    }

    [Fact]
    public async Task RunAsync_CancelledWhileAwaitingPick_ReleasesRefundsAndCancels()
    {
        var order = new PickupOrderBuilder("o-cancel").Build();
        var instanceId = await _host.StartAsync(order, TestTimings.Patient);
        await _host.WaitForStatusAsync(instanceId, OrderStatus.Reserved);

        await _host.RaiseAsync(instanceId, BopisWorkflow.CancelledEvent, new BopisSignal("customer changed their mind"));
        var done = await _host.WaitForCompletionAsync(instanceId);

        AssertCompletedBeforeAnyTimer(done, TestTimings.Patient);
        var output = done.ReadOutputAs<BopisProgress>()!;
        Assert.Equal(OrderStatus.Cancelled, output.Status);
        Assert.Contains("customer changed their mind", output.Reason, StringComparison.Ordinal);
        var cancelled = _host.Orders.Get(order.Id)!;
        Assert.Equal((OrderStatus.Cancelled, output.Reason), (cancelled.Status, cancelled.StatusReason));
        Assert.Equal(0, _host.Inventory.Get(Store, "SKU-1").Reserved);
        Assert.Equal(5, _host.Inventory.Get(Store, "SKU-1").OnHand);
        Assert.Equal(order.Id + ":refund", Assert.Single(_host.Payments.Refunds).RefundId);
        Assert.Equal(["cancelled"], _host.Notifications.Purposes(order.Id, Audience.Customer));
        Assert.Equal(["pick", "put-back"], _host.Notifications.Purposes(order.Id, Audience.Store));
        Assert.Empty(_host.Profiles.Get("customer:" + PickupOrderBuilder.CustomerId)!.OpenOrders);
    }

    [Fact]
    public async Task RunAsync_NeverPicked_CancelsItselfAfterTheWindow_ReleasesRefundsAndTellsTheCustomer()
    {
        var order = new PickupOrderBuilder("o-unpicked").Build();
        var instanceId = await _host.StartAsync(order, TestTimings.Unpicked);

        var done = await _host.WaitForCompletionAsync(instanceId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var output = done.ReadOutputAs<BopisProgress>()!;
        Assert.Equal(OrderStatus.Cancelled, output.Status);
        Assert.Contains("store did not pick", output.Reason, StringComparison.Ordinal);
        var cancelled = _host.Orders.Get(order.Id)!;
        Assert.Equal((OrderStatus.Cancelled, output.Reason), (cancelled.Status, cancelled.StatusReason));
        Assert.True(cancelled.Escalated);
        Assert.InRange(cancelled.UpdatedAt - cancelled.PickDueAt!.Value, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10));
        var sku1 = _host.Inventory.Get(Store, "SKU-1");
        Assert.Equal((5, 0), (sku1.OnHand, sku1.Reserved));
        Assert.Equal(0, _host.Inventory.Get(Store, "SKU-2").Reserved);
        Assert.Equal(order.Id + ":refund", Assert.Single(_host.Payments.Refunds).RefundId);
        Assert.Equal(["pick", "pick-overdue", "put-back"], _host.Notifications.Purposes(order.Id, Audience.Store));
        Assert.Equal(["cancelled"], _host.Notifications.Purposes(order.Id, Audience.Customer));
        var told = _host.Notifications.Messages.Single(message => message.Id == order.Id + ":cancelled");
        Assert.Contains("store could not", told.Text, StringComparison.Ordinal);
        Assert.Empty(_host.Profiles.Get("customer:" + PickupOrderBuilder.CustomerId)!.OpenOrders);
    }

    [Fact]
    public async Task RunAsync_PaymentProviderDownDuringCompensation_TheRefundIsAskedAgainUntilItIsMade()
    {
        var order = new PickupOrderBuilder("o-refund-later").Build();
        var instanceId = await _host.StartAsync(order, TestTimings.Patient);
        await _host.WaitForStatusAsync(instanceId, OrderStatus.Reserved);

        // More failures than one step's retries: before, the instance failed with the stock released and no refund.
        _host.Payments.FailNext(BopisRetry.Policy.MaxNumberOfAttempts + 1);
        await _host.RaiseAsync(instanceId, BopisWorkflow.CancelledEvent);
        var done = await _host.WaitForCompletionAsync(instanceId);

        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, done.FailureDetails?.ToString());
        Assert.Equal(OrderStatus.Cancelled, done.ReadOutputAs<BopisProgress>()!.Status);
        Assert.Equal(order.Id + ":refund", Assert.Single(_host.Payments.Refunds).RefundId);
        Assert.Equal(BopisRetry.Policy.MaxNumberOfAttempts + 2, _host.Payments.Calls);
        var cancelled = _host.Orders.Get(order.Id)!;
        Assert.Equal(OrderStatus.Cancelled, cancelled.Status);
        Assert.DoesNotContain("Refund pending", cancelled.StatusReason, StringComparison.Ordinal);
        Assert.Equal(RefundState.None, cancelled.RefundState);
        Assert.Empty(await _host.RefundWatch.ListAsync(10, CancellationToken.None));
        Assert.Equal(["cancelled"], _host.Notifications.Purposes(order.Id, Audience.Customer));
    }

    [Fact]
    public async Task RunAsync_CollectedBeforePicked_IsIgnored_WaitsForPickedThenForTheCustomer()
    {
        var order = new PickupOrderBuilder("o-early").Build();
        var instanceId = await _host.StartAsync(order, TestTimings.Patient);
        await _host.WaitForStatusAsync(instanceId, OrderStatus.Reserved);

        await _host.RaiseAsync(instanceId, BopisWorkflow.CollectedEvent);
        await _host.RaiseAsync(instanceId, BopisWorkflow.PickedEvent);
        await _host.WaitForStatusAsync(instanceId, OrderStatus.Ready);
        await AssertStillWaitingAsync(instanceId, OrderStatus.Ready);
        Assert.Equal(2, _host.Inventory.Get(Store, "SKU-1").Reserved);
        Assert.Equal(OrderStatus.Ready, _host.Orders.Get(order.Id)!.Status);

        await _host.RaiseAsync(instanceId, BopisWorkflow.CollectedEvent);
        var done = await _host.WaitForCompletionAsync(instanceId);

        AssertCompletedBeforeAnyTimer(done, TestTimings.Patient);
        Assert.Equal(OrderStatus.Collected, done.ReadOutputAs<BopisProgress>()!.Status);
        Assert.Equal((3, 0), (_host.Inventory.Get(Store, "SKU-1").OnHand, _host.Inventory.Get(Store, "SKU-1").Reserved));
        Assert.Empty(_host.Payments.Refunds);
    }

    [Fact]
    public async Task RunAsync_CancelledAfterPicked_IsIgnored_NoRefundAndTheCustomerCanStillCollect()
    {
        var order = new PickupOrderBuilder("o-late-cancel").Build();
        var instanceId = await _host.StartAsync(order, TestTimings.Patient);
        await _host.RaiseAsync(instanceId, BopisWorkflow.PickedEvent);
        await _host.WaitForStatusAsync(instanceId, OrderStatus.Ready);

        await _host.RaiseAsync(instanceId, BopisWorkflow.CancelledEvent, new BopisSignal("too late"));
        await AssertStillWaitingAsync(instanceId, OrderStatus.Ready);
        Assert.Empty(_host.Payments.Refunds);
        Assert.Equal(2, _host.Inventory.Get(Store, "SKU-1").Reserved);
        Assert.Equal(OrderStatus.Ready, _host.Orders.Get(order.Id)!.Status);

        await _host.RaiseAsync(instanceId, BopisWorkflow.CollectedEvent);
        var done = await _host.WaitForCompletionAsync(instanceId);

        AssertCompletedBeforeAnyTimer(done, TestTimings.Patient);
        Assert.Equal(OrderStatus.Collected, done.ReadOutputAs<BopisProgress>()!.Status);
        Assert.Empty(_host.Payments.Refunds);
        Assert.Equal(0, _host.Payments.Calls);
        Assert.Equal(["ready"], _host.Notifications.Purposes(order.Id, Audience.Customer));
        Assert.Equal(3, _host.Inventory.Get(Store, "SKU-1").OnHand);
    }

    [Fact]
    public async Task RunAsync_PickedRepeated_TellsCustomerOnceAndCompletes()
    {
        var order = new PickupOrderBuilder("o-twice").Build();
        var instanceId = await _host.StartAsync(order, TestTimings.Patient);

        await _host.RaiseAsync(instanceId, BopisWorkflow.PickedEvent);
        await _host.RaiseAsync(instanceId, BopisWorkflow.PickedEvent);
        await _host.WaitForStatusAsync(instanceId, OrderStatus.Ready);
        await _host.RaiseAsync(instanceId, BopisWorkflow.PickedEvent);
        await _host.RaiseAsync(instanceId, BopisWorkflow.CollectedEvent);
        var done = await _host.WaitForCompletionAsync(instanceId);

        AssertCompletedBeforeAnyTimer(done, TestTimings.Patient);
        Assert.Equal(OrderStatus.Collected, done.ReadOutputAs<BopisProgress>()!.Status);
        Assert.Equal(1, _host.Notifications.Attempts.Count(id => id == order.Id + ":ready"));
        Assert.Equal(["ready"], _host.Notifications.Purposes(order.Id, Audience.Customer));
        var sku1 = _host.Inventory.Get(Store, "SKU-1");
        Assert.Equal((3, 0), (sku1.OnHand, sku1.Reserved));
        Assert.Equal(OrderStatus.Collected, _host.Orders.Get(order.Id)!.Status);
    }

    [Fact]
    public async Task RunAsync_ArrivedTwiceWhileReady_TellsTheStoreOnceRecordsTheTimeThenCompletesOnCollected()
    {
        var order = new PickupOrderBuilder("o-arrived").Build();
        var instanceId = await _host.StartAsync(order, TestTimings.Patient);
        await _host.RaiseAsync(instanceId, BopisWorkflow.PickedEvent);
        await _host.WaitForStatusAsync(instanceId, OrderStatus.Ready);
        var readyAt = _host.Orders.Get(order.Id)!.ReadyAt;

        await _host.RaiseAsync(instanceId, BopisWorkflow.ArrivedEvent);
        await _host.RaiseAsync(instanceId, BopisWorkflow.ArrivedEvent);
        await _host.WaitForProgressAsync(instanceId, progress => progress.Reason == BopisTexts.Arrived);
        await AssertStillWaitingAsync(instanceId, OrderStatus.Ready);
        Assert.Equal(["pick", "arrived"], _host.Notifications.Purposes(order.Id, Audience.Store));
        Assert.Equal(1, _host.Notifications.Attempts.Count(id => id == order.Id + ":arrived"));
        Assert.Equal(["ready"], _host.Notifications.Purposes(order.Id, Audience.Customer));
        var arrived = _host.Orders.Get(order.Id)!;
        Assert.Equal(OrderStatus.Ready, arrived.Status);
        Assert.NotNull(arrived.ArrivedAt);
        Assert.True(arrived.ArrivedAt >= readyAt);
        Assert.Equal(readyAt, arrived.ReadyAt);

        await _host.RaiseAsync(instanceId, BopisWorkflow.CollectedEvent);
        var done = await _host.WaitForCompletionAsync(instanceId);

        AssertCompletedBeforeAnyTimer(done, TestTimings.Patient);
        Assert.Equal(OrderStatus.Collected, done.ReadOutputAs<BopisProgress>()!.Status);
        var collected = _host.Orders.Get(order.Id)!;
        Assert.Equal((OrderStatus.Collected, arrived.ArrivedAt), (collected.Status, collected.ArrivedAt));
        Assert.Equal((3, 0), (_host.Inventory.Get(Store, "SKU-1").OnHand, _host.Inventory.Get(Store, "SKU-1").Reserved));
        Assert.Empty(_host.Payments.Refunds);
        Assert.Equal(["pick", "arrived"], _host.Notifications.Purposes(order.Id, Audience.Store));
        Assert.Equal(["ready"], _host.Notifications.Purposes(order.Id, Audience.Customer));
    }

    [Fact]
    public async Task RunAsync_ArrivedBeforePicked_IsIgnored_NoStoreNoticeAndTheOrderGoesOn()
    {
        var order = new PickupOrderBuilder("o-early-arrival").Build();
        var instanceId = await _host.StartAsync(order, TestTimings.Patient);
        await _host.WaitForStatusAsync(instanceId, OrderStatus.Reserved);

        await _host.RaiseAsync(instanceId, BopisWorkflow.ArrivedEvent);
        await AssertStillWaitingAsync(instanceId, OrderStatus.Reserved);
        await _host.RaiseAsync(instanceId, BopisWorkflow.PickedEvent);
        await _host.WaitForStatusAsync(instanceId, OrderStatus.Ready);
        await AssertStillWaitingAsync(instanceId, OrderStatus.Ready);
        Assert.Equal(["pick"], _host.Notifications.Purposes(order.Id, Audience.Store));
        Assert.Null(_host.Orders.Get(order.Id)!.ArrivedAt);

        await _host.RaiseAsync(instanceId, BopisWorkflow.CollectedEvent);
        var done = await _host.WaitForCompletionAsync(instanceId);

        Assert.Equal(OrderStatus.Collected, done.ReadOutputAs<BopisProgress>()!.Status);
        Assert.Equal(["pick"], _host.Notifications.Purposes(order.Id, Audience.Store));
    }

    [Fact]
    public async Task RunAsync_NotEnoughStock_RejectsWithoutRefundOrStoreNotice()
    {
        var order = new PickupOrderBuilder("o-short").WithLine("SKU-1", 6, 19.99m).WithLine("SKU-2", 1, 5.00m).Build();
        var instanceId = await _host.StartAsync(order, TestTimings.Patient);

        var done = await _host.WaitForCompletionAsync(instanceId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var output = done.ReadOutputAs<BopisProgress>()!;
        Assert.Equal(OrderStatus.Rejected, output.Status);
        Assert.Contains("SKU-1: 6 wanted, 5 available", output.Reason, StringComparison.Ordinal);
        var rejected = _host.Orders.Get(order.Id)!;
        Assert.Equal((OrderStatus.Rejected, output.Reason), (rejected.Status, rejected.StatusReason));
        Assert.Empty(_host.Payments.Refunds);
        Assert.Equal(0, _host.Payments.Calls);
        Assert.Empty(_host.Notifications.Purposes(order.Id, Audience.Store));
        Assert.Equal(["rejected"], _host.Notifications.Purposes(order.Id, Audience.Customer));
        Assert.Equal(0, _host.Inventory.Get(Store, "SKU-1").Reserved);
        Assert.Equal(0, _host.Inventory.Get(Store, "SKU-2").Reserved);
        Assert.Empty(_host.Profiles.Get("customer:" + PickupOrderBuilder.CustomerId)!.OpenOrders);
    }

    [Fact]
    public async Task RunAsync_InventoryBrieflyUnavailable_RetriesReservation()
    {
        _host.Inventory.BeUnavailableFor(reads: 1);
        var order = new PickupOrderBuilder("o-retry").Build();
        var instanceId = await _host.StartAsync(order, TestTimings.Patient);

        await _host.WaitForStatusAsync(instanceId, OrderStatus.Reserved);
        await _host.RaiseAsync(instanceId, BopisWorkflow.CancelledEvent);
        var done = await _host.WaitForCompletionAsync(instanceId);

        Assert.Equal(1, _host.Inventory.FailedReads);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(OrderStatus.Cancelled, done.ReadOutputAs<BopisProgress>()!.Status);
        Assert.Equal(0, _host.Inventory.Get(Store, "SKU-1").Reserved);
    }

    [Fact]
    public async Task RunAsync_StepFailsForGood_CompensatesWithoutRetrying()
    {
        var order = new PickupOrderBuilder("o-broken").Build();
        _host.Notifications.FailsFor = message => message.Id == order.Id + ":pick";
        var instanceId = await _host.StartAsync(order, TestTimings.Patient);

        var done = await _host.WaitForCompletionAsync(instanceId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var output = done.ReadOutputAs<BopisProgress>()!;
        Assert.Equal((OrderStatus.Cancelled, BopisTexts.Failed), (output.Status, output.Reason));
        Assert.Equal(1, _host.Notifications.Attempts.Count(id => id == order.Id + ":pick"));
        Assert.Equal(0, _host.Inventory.Get(Store, "SKU-1").Reserved);
        Assert.Single(_host.Payments.Refunds);
        Assert.Equal(["cancelled"], _host.Notifications.Purposes(order.Id, Audience.Customer));
        Assert.Equal(OrderStatus.Cancelled, _host.Orders.Get(order.Id)!.Status);
    }

    /// <summary>Gives the instance time to act on what it was sent, then checks it is still waiting in <paramref name="status"/>.</summary>
    private async Task AssertStillWaitingAsync(string instanceId, OrderStatus status)
    {
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var instance = (await _host.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true))!;
        Assert.Equal(OrchestrationRuntimeStatus.Running, instance.RuntimeStatus);
        Assert.Equal(status, instance.ReadCustomStatusAs<BopisProgress>()!.Status);
    }

    /// <summary>Completed, and long before the first timer of <paramref name="timings"/> could have fired.</summary>
    private static void AssertCompletedBeforeAnyTimer(OrchestrationMetadata done, BopisTimings timings)
    {
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.True(done.LastUpdatedAt - done.CreatedAt < timings.PickSla, $"took {done.LastUpdatedAt - done.CreatedAt}");
    }
}
