using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Core.Customers;
using OmniChannel.Core.Profiles;
using static OmniChannel.Azure.IntegrationTests.Fixtures.Events;

namespace OmniChannel.Azure.IntegrationTests.Ingest;

/// <summary>
/// A customer with more journey moves than a profile keeps: the oldest fold into the stored base, which must read back
/// from Cosmos DB as it was written, and the stage must come out as in order.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class LongJourneyTests(ServersFixture servers)
{
    [Fact]
    public async Task Ingest_MoreMovesThanTheProfileKeeps_FoldsTheOldestIntoABaseThatReadsBack()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var moves = JourneyLog.StepLimit + 20;
        await backbone.IngestAsync([PosSale("sale", 0, "0001", "C-LONG", ("SKU-1", 1))]);
        foreach (var chunk in Enumerable.Range(1, moves).Chunk(25))
        {
            await backbone.IngestAsync(chunk.Select(minute => Viewed($"view-{minute}", minute, $"SKU-{minute}", customerId: "C-LONG")));
        }

        var profile = (await backbone.Get<CustomerQueries>().FindProfileAsync("C-LONG", CancellationToken.None))!;
        Assert.NotNull(profile.JourneyBase);
        Assert.Equal(JourneyLog.StepLimit, profile.JourneySteps.Count);
        Assert.Equal((JourneyStage.Considering, moves), (profile.Stage, profile.ViewsInJourney));
        Assert.Equal(At(3), profile.StageChangedAt);

        // A view older than the base arrives too late to count; a new one counts on top of the base.
        await backbone.IngestAsync([Viewed("view-late", 0, "SKU-0", customerId: "C-LONG"), Viewed("view-new", moves + 1, "SKU-N", customerId: "C-LONG")]);
        profile = (await backbone.Get<CustomerQueries>().FindProfileAsync("C-LONG", CancellationToken.None))!;
        Assert.Equal((JourneyStage.Considering, moves + 1), (profile.Stage, profile.ViewsInJourney));
    }
}
