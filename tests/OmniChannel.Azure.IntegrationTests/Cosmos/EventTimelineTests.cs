using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Core.Ports;
using static OmniChannel.Azure.IntegrationTests.Fixtures.Events;

namespace OmniChannel.Azure.IntegrationTests.Cosmos;

/// <summary>
/// The events container's timeline on the real Cosmos protocol server, with pages forced short (as Cosmos DB cuts a
/// page at 4 MB of large events): the timeline keeps reading until it has the events asked for or the data ends.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class EventTimelineTests(ServersFixture servers)
{
    private const int PageSize = 3;

    [Fact]
    public async Task ReadTimelineAsync_ShortPagesFromCosmos_ReadsOnUntilTheLimitNewestFirst()
    {
        await using var backbone = await ShortPagedBackboneAsync();
        var device = "pager-" + Guid.NewGuid().ToString("N")[..6];
        await backbone.IngestAsync(Enumerable.Range(0, 10).Select(minute => Viewed($"{device}-view-{minute}", minute, "SKU-" + minute, deviceId: device)));

        var timeline = await backbone.Get<IEventStore>().ReadTimelineAsync(["device:" + device], 10, null, CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 10).Reverse().Select(minute => $"{device}-view-{minute}"), timeline.Select(entry => entry.EventId));
    }

    [Fact]
    public async Task ReadTimelineAsync_TwoPartitionsWithShortPages_MergesThemNewestFirstUpToTheLimit()
    {
        await using var backbone = await ShortPagedBackboneAsync();
        var suffix = Guid.NewGuid().ToString("N")[..6];
        string web = "web-" + suffix, app = "app-" + suffix;

        // Interleaved in time: even minutes on the web cookie, odd ones on the phone.
        await backbone.IngestAsync(Enumerable.Range(0, 14).Select(minute => Viewed($"view-{suffix}-{minute}", minute, "SKU-1", deviceId: minute % 2 == 0 ? web : app)));

        var store = backbone.Get<IEventStore>();
        var newest = await store.ReadTimelineAsync(["device:" + web, "device:" + app], 8, null, CancellationToken.None);
        var older = await store.ReadTimelineAsync(["device:" + web, "device:" + app], 8, newest[^1].SortKey, CancellationToken.None);

        Assert.Equal(Enumerable.Range(6, 8).Reverse().Select(minute => $"view-{suffix}-{minute}"), newest.Select(entry => entry.EventId));
        Assert.Equal(Enumerable.Range(0, 6).Reverse().Select(minute => $"view-{suffix}-{minute}"), older.Select(entry => entry.EventId));
    }

    private Task<Backbone> ShortPagedBackboneAsync() =>
        Backbone.StartAsync(servers, settings: new Dictionary<string, string?> { ["OmniChannel:Cosmos:TimelinePageSize"] = PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture) });
}
