using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Core.Events;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;
using static OmniChannel.Azure.IntegrationTests.Fixtures.Events;

namespace OmniChannel.Azure.IntegrationTests.Orders;

[Collection(ServersCollection.Name)]
public sealed class ReservationServiceTests(ServersFixture servers)
{
    [Fact]
    public async Task Reserve_50ConcurrentOrdersForTheLast10Units_Exactly10Succeed()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        await backbone.IngestAsync([InventoryAdjusted("r-stock", 1, "0005", "SKU-LAST", 10)]);
        var reservations = backbone.Get<ReservationService>();

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(index =>
            reservations.ReserveAsync($"o-{index}", "0005", [new OrderLine("SKU-LAST", 1, 9.99m)], CancellationToken.None)));

        Assert.Equal(10, results.Count(result => result.Reserved));
        Assert.All(results.Where(result => !result.Reserved), result => Assert.Equal(new StockShortage("SKU-LAST", 1, 0), Assert.Single(result.Shortages)));
        var item = (await backbone.Get<IInventoryStore>().ReadAsync("0005", "SKU-LAST", CancellationToken.None))!.Value;
        Assert.Equal(10, item.OnHand);
        Assert.Equal(10, item.Reserved);
        Assert.Equal(0, item.Available);
        Assert.Equal(10, item.Reservations.Count);
    }

    [Fact]
    public async Task Reserve_RepeatedThenReleasedThenHandedOver_EachHappensOnce()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        await backbone.IngestAsync([InventoryAdjusted("h-1", 1, "0006", "SKU-A", 5), InventoryAdjusted("h-2", 1, "0006", "SKU-B", 5)]);
        var reservations = backbone.Get<ReservationService>();
        OrderLine[] lines = [new("SKU-A", 2, 1m), new("SKU-B", 1, 1m)];

        Assert.True((await reservations.ReserveAsync("o-1", "0006", lines, CancellationToken.None)).Reserved);
        Assert.True((await reservations.ReserveAsync("o-1", "0006", lines, CancellationToken.None)).Reserved);
        Assert.Equal(3, (await Stock(backbone, "SKU-A")).Available);

        await reservations.ReleaseAsync("o-1", "0006", lines, CancellationToken.None);
        await reservations.ReleaseAsync("o-1", "0006", lines, CancellationToken.None);
        Assert.Equal(5, (await Stock(backbone, "SKU-A")).Available);

        Assert.True((await reservations.ReserveAsync("o-2", "0006", lines, CancellationToken.None)).Reserved);
        await reservations.HandOverAsync("o-2", "0006", lines, CancellationToken.None);
        await reservations.HandOverAsync("o-2", "0006", lines, CancellationToken.None);
        var handedOver = await Stock(backbone, "SKU-A");
        Assert.Equal(3, handedOver.OnHand);
        Assert.Equal(0, handedOver.Reserved);
        Assert.Equal(4, (await Stock(backbone, "SKU-B")).OnHand);
    }

    [Fact]
    public async Task Reserve_OneLineShort_HoldsNothingAndNamesEveryShortLine()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        await backbone.IngestAsync([InventoryAdjusted("s-1", 1, "0007", "SKU-A", 5), InventoryAdjusted("s-2", 1, "0007", "SKU-B", 1)]);

        var result = await backbone.Get<ReservationService>().ReserveAsync("o-9", "0007",
            [new OrderLine("SKU-A", 2, 1m), new OrderLine("SKU-B", 3, 1m), new OrderLine("SKU-C", 1, 1m)], CancellationToken.None);

        Assert.False(result.Reserved);
        Assert.Equal([new StockShortage("SKU-B", 3, 1), new StockShortage("SKU-C", 1, 0)], result.Shortages);
        Assert.Equal(0, (await Stock(backbone, "SKU-A", "0007")).Reserved);
    }

    private static async Task<Core.Inventory.InventoryItem> Stock(Backbone backbone, string sku, string store = "0006") =>
        (await backbone.Get<IInventoryStore>().ReadAsync(store, sku, CancellationToken.None))!.Value;
}
