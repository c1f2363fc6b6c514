using Microsoft.DurableTask.Client;
using OmniChannel.Core.Notifications;
using OmniChannel.Core.Orders;
using OmniChannel.Workflows.Bopis;
using OmniChannel.Workflows.Tests.Builders;

namespace OmniChannel.Workflows.Tests.Bopis;

/// <summary>
/// Partial pickup and substitution in the BOPIS orchestration, on the in-process Durable Task host. The order is two
/// SKU-1 at 19.99 and one SKU-2 at 5.00 (44.98); the store also has SKU-9, the associate's substitute for SKU-2.
/// </summary>
public sealed class BopisPartialPickTests : IAsyncLifetime
{
    private const string Store = PickupOrderBuilder.StoreId;

    /// <summary>One SKU-1 short; SKU-2 missing and replaced by one SKU-9.</summary>
    private static readonly BopisSignal ShortAndSubstituted = new(null, [new PickedLine("SKU-1", 1), new PickedLine("SKU-2", 0, "SKU-9", 1)]);

    private BopisTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await BopisTestHost.StartAsync();
        _host.Inventory.Stock(Store, "SKU-1", onHand: 5);
        _host.Inventory.Stock(Store, "SKU-2", onHand: 3);
        _host.Inventory.Stock(Store, "SKU-9", onHand: 4);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task RunAsync_PickedWithAShortLineAndASubstitute_RefundsExactlyTheShortUnits_TellsTheCustomer_HandsOverPickedAndSubstitute()
    {
        var order = new PickupOrderBuilder("o-partial").Build();
        var instanceId = await _host.StartAsync(order, TestTimings.Patient);
        await _host.WaitForStatusAsync(instanceId, OrderStatus.Reserved);

        await _host.RaiseAsync(instanceId, BopisWorkflow.PickedEvent, ShortAndSubstituted);
        await _host.WaitForStatusAsync(instanceId, OrderStatus.Ready);

        // One SKU-1 short at 19.99; SKU-2's unit is replaced at its own price, so nothing is refunded for it.
        var refund = Assert.Single(_host.Payments.Refunds);
        Assert.Equal((order.Id + ":short", 19.99m), (refund.RefundId, refund.Amount));
        Assert.Equal(["short", "ready"], _host.Notifications.Purposes(order.Id, Audience.Customer));
        var told = _host.Notifications.Messages.Single(message => message.Id == order.Id + ":short").Text;
        Assert.Contains("1 of 2 × SKU-1 missing", told, StringComparison.Ordinal);
        Assert.Contains("SKU-2 replaced by SKU-9", told, StringComparison.Ordinal);
        Assert.Contains("refunded 19.99", told, StringComparison.Ordinal);
        var ready = _host.Orders.Get(order.Id)!;
        Assert.Equal(OrderStatus.Ready, ready.Status);
        Assert.Equal(19.99m, ready.Refunded);
        Assert.Equal(
            [new OrderLinePick("SKU-1", 2, 1, 1, null, 0, 19.99m), new OrderLinePick("SKU-2", 1, 0, 0, "SKU-9", 1, 5.00m)],
            ready.Picking);

        // The short unit was found missing: it leaves on-hand with its hold. The substitute is held from now on.
        Assert.Equal((4, 1), (_host.Inventory.Get(Store, "SKU-1").OnHand, _host.Inventory.Get(Store, "SKU-1").Reserved));
        Assert.Equal((3, 0), (_host.Inventory.Get(Store, "SKU-2").OnHand, _host.Inventory.Get(Store, "SKU-2").Reserved));
        Assert.Equal((4, 1), (_host.Inventory.Get(Store, "SKU-9").OnHand, _host.Inventory.Get(Store, "SKU-9").Reserved));

        await _host.RaiseAsync(instanceId, BopisWorkflow.CollectedEvent);
        var done = await _host.WaitForCompletionAsync(instanceId);

        Assert.Equal(OrderStatus.Collected, done.ReadOutputAs<BopisProgress>()!.Status);
        Assert.Equal((3, 0), (_host.Inventory.Get(Store, "SKU-1").OnHand, _host.Inventory.Get(Store, "SKU-1").Reserved));
        Assert.Equal((3, 0), (_host.Inventory.Get(Store, "SKU-2").OnHand, _host.Inventory.Get(Store, "SKU-2").Reserved));
        Assert.Equal((3, 0), (_host.Inventory.Get(Store, "SKU-9").OnHand, _host.Inventory.Get(Store, "SKU-9").Reserved));
        Assert.Single(_host.Payments.Refunds);
    }

    [Fact]
    public async Task RunAsync_EveryLineShort_CancelsReleasesEverythingAndRefundsTheWholeOrder()
    {
        var order = new PickupOrderBuilder("o-none").Build();
        var instanceId = await _host.StartAsync(order, TestTimings.Patient);

        await _host.RaiseAsync(instanceId, BopisWorkflow.PickedEvent, new BopisSignal(null, [new PickedLine("SKU-1", 0), new PickedLine("SKU-2", 0)]));
        var done = await _host.WaitForCompletionAsync(instanceId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal((OrderStatus.Cancelled, BopisTexts.NothingPicked), (done.ReadOutputAs<BopisProgress>()!.Status, done.ReadOutputAs<BopisProgress>()!.Reason));
        var refund = Assert.Single(_host.Payments.Refunds);
        Assert.Equal((order.Id + ":refund", 44.98m), (refund.RefundId, refund.Amount));
        Assert.Equal(["cancelled"], _host.Notifications.Purposes(order.Id, Audience.Customer));
        Assert.Contains("could not find any", _host.Notifications.Messages.Single(message => message.Id == order.Id + ":cancelled").Text, StringComparison.Ordinal);
        var cancelled = _host.Orders.Get(order.Id)!;
        Assert.Equal((OrderStatus.Cancelled, 44.98m), (cancelled.Status, cancelled.Refunded));
        Assert.Equal((3, 0), (_host.Inventory.Get(Store, "SKU-1").OnHand, _host.Inventory.Get(Store, "SKU-1").Reserved));
        Assert.Equal((2, 0), (_host.Inventory.Get(Store, "SKU-2").OnHand, _host.Inventory.Get(Store, "SKU-2").Reserved));
    }

    [Fact]
    public async Task RunAsync_PickedShortThenNeverCollected_RefundsOnlyTheRemainder_RefundsAddUpToTheTotal()
    {
        var order = new PickupOrderBuilder("o-partial-noshow").Build();
        var instanceId = await _host.StartAsync(order, TestTimings.ShortWindow);

        await _host.RaiseAsync(instanceId, BopisWorkflow.PickedEvent, ShortAndSubstituted);
        var done = await _host.WaitForCompletionAsync(instanceId);

        Assert.Equal(OrderStatus.Expired, done.ReadOutputAs<BopisProgress>()!.Status);
        var refunds = _host.Payments.Refunds.OrderBy(refund => refund.RefundId, StringComparer.Ordinal).Select(refund => (refund.RefundId, refund.Amount));
        Assert.Equal([(order.Id + ":refund", 24.99m), (order.Id + ":short", 19.99m)], refunds);
        Assert.Equal(order.Total, _host.Payments.Refunds.Sum(refund => refund.Amount));
        Assert.Equal(order.Total, _host.Orders.Get(order.Id)!.Refunded);
        Assert.Contains("refunded 24.99", _host.Notifications.Messages.Single(message => message.Id == order.Id + ":expired").Text, StringComparison.Ordinal);

        // Every hold is gone, the substitute's too; the short SKU-1 unit stays written off.
        Assert.Equal((4, 0), (_host.Inventory.Get(Store, "SKU-1").OnHand, _host.Inventory.Get(Store, "SKU-1").Reserved));
        Assert.Equal((4, 0), (_host.Inventory.Get(Store, "SKU-9").OnHand, _host.Inventory.Get(Store, "SKU-9").Reserved));
        Assert.Empty(_host.Inventory.Get(Store, "SKU-9").Reservations);
    }
}
