using System.Collections.Concurrent;
using Moq;
using OmniChannel.Core.Events;
using OmniChannel.Core.Inventory;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Stores;
using OmniChannel.Core.UnitTests.Builders;
using OmniChannel.TestSupport.Fakes;

namespace OmniChannel.Core.UnitTests.Orders;

public sealed class OrderServiceTests
{
    private static readonly Store PickupStore = new("0001", "Store 1", "New York", "NY", 40.7, -74.0, "America/New_York", BopisEnabled: true);

    private readonly InMemoryInventoryStore _inventory = new();
    private readonly InMemoryOrderStore _orders = new();
    private readonly ConcurrentQueue<string> _calls = new();
    private readonly Mock<IWorkflowClient> _workflows = new();
    private readonly Mock<IEventPublisher> _publisher = new();
    private readonly OrderService _service;

    public OrderServiceTests()
    {
        var stores = new Mock<IStoreDirectory>();
        stores.Setup(directory => directory.GetAsync("0001", It.IsAny<CancellationToken>())).ReturnsAsync(PickupStore);
        stores.Setup(directory => directory.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([PickupStore]);
        _workflows.Setup(client => client.StartAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()))
            .Callback((string _, string instanceId, object _, CancellationToken _) => _calls.Enqueue($"start {instanceId}"))
            .ReturnsAsync(true);
        _publisher.Setup(publisher => publisher.PublishAsync(It.IsAny<IReadOnlyList<OmniEvent>>(), It.IsAny<CancellationToken>()))
            .Callback((IReadOnlyList<OmniEvent> events, CancellationToken _) => _calls.Enqueue($"publish {events[0].Type}"))
            .Returns(Task.CompletedTask);
        var reservations = new ReservationService(_inventory);
        _service = new OrderService(
            reservations, new StoreFinder(stores.Object, reservations), stores.Object, _orders, _workflows.Object, _publisher.Object, new BopisOptions { WorkflowStartWait = TimeSpan.Zero }, TestClock.Create());
        _inventory.SaveAsync(new InventoryItem { StoreId = "0001", Sku = "SKU-1", OnHand = 10 }, null, CancellationToken.None).GetAwaiter().GetResult();
        _inventory.SaveAsync(new InventoryItem { StoreId = "0001", Sku = "SKU-2", OnHand = 10 }, null, CancellationToken.None).GetAwaiter().GetResult();
    }

    [Fact]
    public async Task Place_StartsTheWorkflowBeforePublishingTheOrderEvent()
    {
        // Ingest reacts to the published event by starting the workflow too; starting first means it finds the instance.
        var outcome = await _service.PlaceAsync(PickupOrderEvent(), CancellationToken.None);

        Assert.IsType<PlaceOrderOutcome.Placed>(outcome);
        Assert.Equal(["start bopis-O-1", $"publish {EventTypes.OrderPlaced}"], _calls);
    }

    [Fact]
    public async Task Place_RepeatedAfterTheFirstRequestStoppedBeforeTheWorkflow_StartsItWithoutReservingAgain()
    {
        await _service.PlaceAsync(PickupOrderEvent(), CancellationToken.None);
        _calls.Clear();

        var repeat = await _service.PlaceAsync(PickupOrderEvent(), CancellationToken.None);

        Assert.True(Assert.IsType<PlaceOrderOutcome.Placed>(repeat).Repeated);
        Assert.Equal(["start bopis-O-1"], _calls);
        Assert.Equal(1, _inventory.Get("0001", "SKU-1")!.Reserved);
    }

    [Theory]
    [InlineData(OrderStatus.Collected)]
    [InlineData(OrderStatus.Expired)]
    [InlineData(OrderStatus.Cancelled)]
    public async Task Place_RepeatedOrRedeliveredAfterTheOrderFinished_StartsNoWorkflowAgain_ThoughItsInstanceWasPurged(OrderStatus finished)
    {
        var placed = PickupOrderEvent();
        await _service.PlaceAsync(placed, CancellationToken.None);
        var stored = (await _orders.GetAsync("O-1", CancellationToken.None))!;
        stored.Value.Status = finished;
        await _orders.SaveAsync(stored.Value, stored.ETag, CancellationToken.None);
        // The engine no longer knows the instance: it completed and was purged.
        _workflows.Setup(client => client.GetAsync("bopis-O-1", It.IsAny<CancellationToken>())).ReturnsAsync((WorkflowState?)null);
        _calls.Clear();

        var repeat = await _service.PlaceAsync(placed, CancellationToken.None);
        await _service.StartFromEventAsync(placed, "C1", CancellationToken.None);

        Assert.Equal(finished, Assert.IsType<PlaceOrderOutcome.Placed>(repeat).Order.Status);
        Assert.DoesNotContain(_calls, call => call.StartsWith("start", StringComparison.Ordinal));
        Assert.Equal(finished, (await _orders.GetAsync("O-1", CancellationToken.None))!.Value.Status);
    }

    [Fact]
    public async Task Place_AnotherOrderUnderATakenId_IsRefusedAndStartsNothing()
    {
        await _service.PlaceAsync(PickupOrderEvent(), CancellationToken.None);
        _calls.Clear();

        var other = await _service.PlaceAsync(PickupOrderEvent(customerId: "C2"), CancellationToken.None);

        Assert.IsType<PlaceOrderOutcome.IdTaken>(other);
        Assert.Empty(_calls);
    }

    [Fact]
    public async Task Signal_WorkflowStillPending_AnswersTransientAndRaisesNothing()
    {
        await _service.PlaceAsync(PickupOrderEvent(), CancellationToken.None);
        _workflows.Setup(client => client.GetAsync("bopis-O-1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new WorkflowState("bopis-O-1", "Pending", null, null));

        await Assert.ThrowsAsync<TransientStorageException>(() => _service.SignalAsync("O-1", "0001", BopisWorkflow.PickedEvent, CancellationToken.None));

        _workflows.Verify(client => client.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Signal_WorkflowRunning_RaisesTheEvent()
    {
        await _service.PlaceAsync(PickupOrderEvent(), CancellationToken.None);
        _workflows.Setup(client => client.GetAsync("bopis-O-1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new WorkflowState("bopis-O-1", "Running", null, null));
        _workflows.Setup(client => client.RaiseEventAsync("bopis-O-1", BopisWorkflow.PickedEvent, null, It.IsAny<CancellationToken>())).ReturnsAsync(true);

        Assert.Equal(SignalOutcome.Sent, (await _service.SignalAsync("O-1", "0001", BopisWorkflow.PickedEvent, CancellationToken.None)).Outcome);
    }

    private static OmniEvent PickupOrderEvent(string customerId = "C1") =>
        Decoding.Event(CloudEventBuilder.Of(EventTypes.OrderPlaced).Customer(customerId).WithTime(TestClock.Now));
}
