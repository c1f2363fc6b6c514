using Moq;
using OmniChannel.Core.Events;
using OmniChannel.Core.Ingest;
using OmniChannel.Core.Inventory;
using OmniChannel.Core.Ports;
using OmniChannel.Core.UnitTests.Builders;
using OmniChannel.TestSupport.Fakes;

namespace OmniChannel.Core.UnitTests.Inventory;

public sealed class InventoryUpdaterTests
{
    private readonly InMemoryInventoryStore _store = new();
    private readonly InventoryUpdater _updater;

    public InventoryUpdaterTests() => _updater = new InventoryUpdater(_store, new IngestOptions());

    [Fact]
    public async Task ApplyAsync_ManyMovementsOfOneItem_CostOneWrite()
    {
        var written = await ApplyAsync(
            CloudEventBuilder.Adjustment("0001", "SKU-1", 20),
            CloudEventBuilder.Adjustment("0001", "SKU-1", -3),
            CloudEventBuilder.Sale("0001", ("SKU-1", 4)));

        Assert.Equal(1, written);
        Assert.Equal(1, _store.Writes);
        Assert.Equal(13, _store.Get("0001", "SKU-1")!.OnHand);
    }

    [Fact]
    public async Task ApplyAsync_ConflictOnSave_RereadsAndAppliesOnTopOfTheOtherWrite()
    {
        await ApplyAsync(CloudEventBuilder.Adjustment("0001", "SKU-1", 10));
        _store.ConcurrentWriterOnNextSave = other => other.Reserved = 2;

        var written = await ApplyAsync(CloudEventBuilder.Sale("0001", ("SKU-1", 3)));

        Assert.Equal(1, written);
        Assert.Equal(1, _store.Conflicts);
        var item = _store.Get("0001", "SKU-1")!;
        Assert.Equal(7, item.OnHand);
        Assert.Equal(2, item.Reserved);
        Assert.Equal(5, item.Available);
    }

    [Fact]
    public async Task ApplyAsync_EventsWithoutStockEffect_ReadNothing()
    {
        var store = new Mock<IInventoryStore>(MockBehavior.Strict);
        var updater = new InventoryUpdater(store.Object, new IngestOptions());

        var written = await updater.ApplyAsync([Decoding.Event(CloudEventBuilder.View()), Decoding.Event(CloudEventBuilder.Of(EventTypes.OrderPlaced))], null, CancellationToken.None);

        Assert.Equal(0, written);
    }

    [Fact]
    public async Task ApplyAsync_FirstDelivery_RecordsEachMovementWithoutReadingTheLedger()
    {
        await ApplyAsync(CloudEventBuilder.Adjustment("0001", "SKU-1", 20), CloudEventBuilder.Sale("0001", ("SKU-1", 4), ("SKU-2", 1)));

        Assert.Equal(0, _store.LedgerReads);
        Assert.Equal(3, _store.LedgerWrites);
    }

    [Fact]
    public async Task ApplyAsync_SaleReplayedAfterHundredsOfSalesOfTheSameSku_TakesStockOnce()
    {
        var sale = Decoding.Event(CloudEventBuilder.Sale("0001", ("SKU-1", 2)));
        await ApplyAsync(CloudEventBuilder.Adjustment("0001", "SKU-1", 1000));
        await ApplyAsync([sale], firstDelivery: true);
        for (var other = 0; other < InventoryProjector.AppliedEventKeyLimit + 44; other++)
        {
            await ApplyAsync(CloudEventBuilder.Sale("0001", ("SKU-1", 1)));
        }

        // A parked batch replayed hours later: the event store has it (not new), the item's recent keys no longer do.
        await ApplyAsync([sale], firstDelivery: false);

        Assert.Equal(1000 - 2 - 300, _store.Get("0001", "SKU-1").OnHand);
    }

    [Fact]
    public async Task ApplyAsync_EventsAFailedAttemptStoredButNeverApplied_MoveStockWhenReplayed()
    {
        var sale = Decoding.Event(CloudEventBuilder.Sale("0001", ("SKU-1", 2)));
        await ApplyAsync(CloudEventBuilder.Adjustment("0001", "SKU-1", 10));

        await ApplyAsync([sale], firstDelivery: false);
        await ApplyAsync([sale], firstDelivery: false);

        Assert.Equal(8, _store.Get("0001", "SKU-1").OnHand);
        Assert.Equal(1, _store.LedgerReads);
    }

    [Fact]
    public void Movements_SaleWithRepeatedSku_GivesOneMovementPerSku()
    {
        var sale = Decoding.Event(CloudEventBuilder.Sale("0003", ("SKU-1", 2), ("SKU-2", 1), ("SKU-1", 5)));

        var movements = InventoryProjector.Movements(sale).ToList();

        Assert.Equal([("SKU-1", -7), ("SKU-2", -1)], movements.Select(movement => (movement.Sku, movement.Delta)));
        Assert.All(movements, movement => Assert.Equal(("0003", sale.Key), (movement.StoreId, movement.EventKey)));
    }

    [Fact]
    public void Apply_SameMovementTwice_MovesStockOnce()
    {
        var item = new InventoryItem { StoreId = "0001", Sku = "SKU-1", OnHand = 5 };
        var movement = new StockMovement("0001", "SKU-1", -2, "key-1", TestClock.Now);

        Assert.True(InventoryProjector.Apply(item, movement));
        Assert.False(InventoryProjector.Apply(item, movement));
        Assert.Equal(3, item.OnHand);
        Assert.Equal(TestClock.Now, item.UpdatedAt);
    }

    private Task<int> ApplyAsync(params CloudEventBuilder[] builders) =>
        ApplyAsync(builders.Select(Decoding.Event).ToList(), firstDelivery: true);

    /// <summary>As ingest calls it: the events, and those of them the event store had not seen before.</summary>
    private Task<int> ApplyAsync(IReadOnlyList<OmniEvent> events, bool firstDelivery) =>
        _updater.ApplyAsync(events, firstDelivery ? events : [], CancellationToken.None);
}
