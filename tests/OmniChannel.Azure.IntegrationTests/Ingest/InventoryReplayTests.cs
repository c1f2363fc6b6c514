using System.Text.Json.Nodes;
using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Core.Events;
using OmniChannel.Core.Inventory;
using OmniChannel.Core.Ports;
using static OmniChannel.Azure.IntegrationTests.Fixtures.Events;

namespace OmniChannel.Azure.IntegrationTests.Ingest;

/// <summary>
/// Stock moves once per event however late a batch comes back: a parked batch is replayed hours later, after
/// hundreds of sales of the same SKU at the same store (more than the item remembers keys of), on the real Cosmos
/// protocol server.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class InventoryReplayTests(ServersFixture servers)
{
    private const int LaterSales = InventoryProjector.AppliedEventKeyLimit + 44;

    [Fact]
    public async Task Ingest_BatchReplayedAfterHundredsOfSalesOfTheSku_TakesItsStockOnce()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        await backbone.IngestAsync([InventoryAdjusted("delivery", 0, "0009", "SKU-HOT", 1000)]);
        JsonObject[] parked = [PosSale("the-sale", 1, "0009", "c-1", ("SKU-HOT", 2))];
        await backbone.IngestAsync(parked);
        await SellAsync(backbone);

        var report = await backbone.IngestAsync(parked);

        Assert.Equal(1, report.Duplicates);
        Assert.Equal(1000 - 2 - LaterSales, await OnHandAsync(backbone));
    }

    [Fact]
    public async Task Ingest_BatchWhoseFirstAttemptStoredItsEventsOnly_MovesTheStockWhenReplayed()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        await backbone.IngestAsync([InventoryAdjusted("delivery", 0, "0009", "SKU-HOT", 1000)]);
        JsonObject[] parked = [PosSale("the-sale", 1, "0009", "c-1", ("SKU-HOT", 2))];

        // The first attempt stored the event, then storage failed before stock moved, and the batch was parked.
        var decoded = backbone.Get<EventDecoder>().DecodeStored(Backbone.ToEventData(parked[0]).EventBody.ToMemory());
        await backbone.Get<IEventStore>().AppendAsync([decoded], CancellationToken.None);
        await SellAsync(backbone);

        await backbone.IngestAsync(parked);
        await backbone.IngestAsync(parked);

        Assert.Equal(1000 - 2 - LaterSales, await OnHandAsync(backbone));
    }

    private static async Task SellAsync(Backbone backbone)
    {
        foreach (var chunk in Enumerable.Range(0, LaterSales).Chunk(50))
        {
            await backbone.IngestAsync(chunk.Select(index => PosSale($"later-{index}", 2, "0009", $"c-{index}", ("SKU-HOT", 1))));
        }
    }

    private static async Task<int> OnHandAsync(Backbone backbone) =>
        (await backbone.Get<IInventoryStore>().ReadAsync("0009", "SKU-HOT", CancellationToken.None))!.Value.OnHand;
}
