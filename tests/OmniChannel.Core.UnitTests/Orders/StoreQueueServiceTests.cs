using Moq;
using OmniChannel.Core.Events;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Stores;
using OmniChannel.Core.UnitTests.Builders;
using OmniChannel.TestSupport.Fakes;

namespace OmniChannel.Core.UnitTests.Orders;

public sealed class StoreQueueServiceTests
{
    private static readonly IReadOnlySet<StoreQueueState> Every = new HashSet<StoreQueueState>();

    private readonly InMemoryOrderStore _orders = new();
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _clock = TestClock.Create();
    private readonly StoreQueueService _service;

    public StoreQueueServiceTests()
    {
        var stores = new Mock<IStoreDirectory>();
        foreach (var id in new[] { "0001", "0002" })
        {
            stores.Setup(directory => directory.GetAsync(id, It.IsAny<CancellationToken>()))
                .ReturnsAsync(new Store(id, "Store " + id, "New York", "NY", 40.7, -74.0, "America/New_York", BopisEnabled: true));
        }

        _service = new StoreQueueService(stores.Object, _orders, new InMemoryInventoryStore(), _clock);
    }

    [Fact]
    public async Task Queue_ReservedOrder_AwaitsPickUntilItsPickDueTime_ThenIsOverdue()
    {
        await SaveAsync("O-1", OrderStatus.Reserved, placedMinutesAgo: 10, pickDueInMinutes: 30);

        var before = await QueueAsync("0001");
        _clock.Advance(TimeSpan.FromMinutes(31));
        var after = await QueueAsync("0001");

        Assert.Equal(StoreQueueState.AwaitingPick, Assert.Single(before.Orders).Queue);
        Assert.Equal(StoreQueueState.Overdue, Assert.Single(after.Orders).Queue);
        Assert.Equal(TestClock.Now.AddMinutes(31), after.At);
    }

    [Fact]
    public async Task Queue_ListsReservedAndReadyOrders_OldestPlacedFirst_LeavesOutEveryOtherStatus()
    {
        await SaveAsync("O-ready", OrderStatus.Ready, placedMinutesAgo: 50);
        await SaveAsync("O-overdue", OrderStatus.Reserved, placedMinutesAgo: 180, pickDueInMinutes: -60);
        await SaveAsync("O-awaiting", OrderStatus.Reserved, placedMinutesAgo: 20, pickDueInMinutes: 100);
        await SaveAsync("O-placed", OrderStatus.Placed, placedMinutesAgo: 200);
        foreach (var finished in new[] { OrderStatus.Collected, OrderStatus.Expired, OrderStatus.Cancelled, OrderStatus.Rejected })
        {
            await SaveAsync("O-" + finished, finished, placedMinutesAgo: 300);
        }

        var queue = await QueueAsync("0001");

        Assert.Equal("0001", queue.StoreId);
        Assert.Equal(
            [("O-overdue", StoreQueueState.Overdue), ("O-ready", StoreQueueState.Ready), ("O-awaiting", StoreQueueState.AwaitingPick)],
            queue.Orders.Select(entry => (entry.Order.Id, entry.Queue)));
    }

    [Fact]
    public async Task Queue_FilteredByState_KeepsOnlyThoseStates()
    {
        await SaveAsync("O-ready", OrderStatus.Ready, placedMinutesAgo: 50);
        await SaveAsync("O-overdue", OrderStatus.Reserved, placedMinutesAgo: 180, pickDueInMinutes: -60);
        await SaveAsync("O-awaiting", OrderStatus.Reserved, placedMinutesAgo: 20, pickDueInMinutes: 100);

        var ready = await QueueAsync("0001", StoreQueueState.Ready);
        var toPick = await QueueAsync("0001", StoreQueueState.AwaitingPick, StoreQueueState.Overdue);

        Assert.Equal(["O-ready"], ready.Orders.Select(entry => entry.Order.Id));
        Assert.Equal(["O-overdue", "O-awaiting"], toPick.Orders.Select(entry => entry.Order.Id));
    }

    [Fact]
    public async Task Queue_OrderMovedToAnotherStore_LeavesTheOldStoresQueue()
    {
        await SaveAsync("O-1", OrderStatus.Reserved, placedMinutesAgo: 10, pickDueInMinutes: 30);
        var stored = (await _orders.GetAsync("O-1", CancellationToken.None))!;
        stored.Value.StoreId = "0002";
        await _orders.SaveAsync(stored.Value, stored.ETag, CancellationToken.None);

        Assert.Empty((await QueueAsync("0001")).Orders);
        Assert.Equal(["O-1"], (await QueueAsync("0002")).Orders.Select(entry => entry.Order.Id));
    }

    [Fact]
    public async Task Queue_StatusChanged_ShowsTheCurrentStatus()
    {
        await SaveAsync("O-1", OrderStatus.Reserved, placedMinutesAgo: 10, pickDueInMinutes: 30);
        var stored = (await _orders.GetAsync("O-1", CancellationToken.None))!;
        stored.Value.Status = OrderStatus.Ready;
        await _orders.SaveAsync(stored.Value, stored.ETag, CancellationToken.None);

        var entry = Assert.Single((await QueueAsync("0001")).Orders);

        Assert.Equal(StoreQueueState.Ready, entry.Queue);
        Assert.Equal(OrderStatus.Ready, entry.Order.Status);
    }

    [Fact]
    public async Task Queue_UnknownStore_IsNull()
    {
        Assert.Null(await _service.GetAsync("9999", Every, CancellationToken.None));
    }

    [Fact]
    public async Task Queue_LongBacklog_ListsItsOldestOrdersUpToTheCap()
    {
        for (var i = 0; i < StoreQueueService.MaxOrders + 5; i++)
        {
            await SaveAsync($"O-{i:D3}", OrderStatus.Ready, placedMinutesAgo: 1000 - i);
        }

        var queue = await QueueAsync("0001");

        Assert.Equal(StoreQueueService.MaxOrders, queue.Orders.Count);
        Assert.Equal("O-000", queue.Orders[0].Order.Id);
    }

    [Theory]
    [InlineData("awaitingPick,ready", new[] { StoreQueueState.AwaitingPick, StoreQueueState.Ready })]
    [InlineData(" READY , overdue ", new[] { StoreQueueState.Ready, StoreQueueState.Overdue })]
    [InlineData("awaitingpick", new[] { StoreQueueState.AwaitingPick })]
    [InlineData("", new StoreQueueState[0])]
    [InlineData(null, new StoreQueueState[0])]
    public void Filter_KnownStatesInAnyCase_Parse(string? text, StoreQueueState[] expected)
    {
        Assert.True(StoreQueueFilter.TryParse(text, out var states, out var unknown));

        Assert.Equal(expected.Order(), states.Order());
        Assert.Empty(unknown);
    }

    [Theory]
    [InlineData("ready,picked", "picked")]
    [InlineData("1", "1")]
    [InlineData("reserved", "reserved")]
    public void Filter_AnUnknownValue_IsRefusedAndNamed(string text, string bad)
    {
        Assert.False(StoreQueueFilter.TryParse(text, out _, out var unknown));

        Assert.Equal([bad], unknown);
        Assert.Equal(["awaitingPick", "ready", "overdue"], StoreQueueFilter.AllowedValues);
    }

    private async Task<StoreQueue> QueueAsync(string storeId, params StoreQueueState[] only) =>
        (await _service.GetAsync(storeId, only.ToHashSet(), CancellationToken.None))!;

    private Task SaveAsync(string id, OrderStatus status, int placedMinutesAgo, int? pickDueInMinutes = null) =>
        _orders.SaveAsync(
            new PickupOrder
            {
                Id = id,
                CustomerId = "C1",
                StoreId = "0001",
                Lines = [new OrderLine("SKU-1", 1, 9.99m)],
                PlacedAt = TestClock.Now.AddMinutes(-placedMinutesAgo),
                UpdatedAt = TestClock.Now,
                Status = status,
                PickDueAt = pickDueInMinutes is { } minutes ? TestClock.Now.AddMinutes(minutes) : null,
            },
            null,
            CancellationToken.None);
}
