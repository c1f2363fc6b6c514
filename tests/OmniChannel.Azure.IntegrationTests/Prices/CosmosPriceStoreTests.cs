using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Prices;

namespace OmniChannel.Azure.IntegrationTests.Prices;

/// <summary>The price store on the real Cosmos protocol server: effective-dated reads and optimistic writes of changes.</summary>
[Collection(ServersCollection.Name)]
public sealed class CosmosPriceStoreTests(ServersFixture servers)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 6, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Accepted = new(2026, 2, 20, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task RecordsInForce_AcrossEffectiveBoundaries_AnswersOnlyRecordsInForceNewestFirstWithinTheLimit()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var store = backbone.Get<IPriceStore>();
        PriceRecord[] records =
        [
            Record("SKU-E", "c-1", 10.00m, T0),
            Record("SKU-E", "c-2", 11.50m, T0.AddDays(1), PriceScope.ForRegion("east")),

            // Written with a local offset: 2026-03-02T12:00-05:00 is 17:00Z, after c-2 and before c-4.
            Record("SKU-E", "c-3", 12.25m, new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.FromHours(-5)), PriceScope.ForStore("0001")),
            Record("SKU-E", "c-4", 13.00m, T0.AddDays(3)),
            Record("SKU-OTHER", "c-1", 99.00m, T0),
        ];

        await store.SaveRecordsAsync(records, CancellationToken.None);
        await store.SaveRecordsAsync(records, CancellationToken.None); // idempotent: keyed by SKU and change id

        var before = await store.RecordsInForceAsync("SKU-E", T0.AddTicks(-1), 10, CancellationToken.None);
        var atFirst = await store.RecordsInForceAsync("SKU-E", T0, 10, CancellationToken.None);
        var betweenSecondAndThird = await store.RecordsInForceAsync("SKU-E", T0.AddDays(1).AddHours(1), 10, CancellationToken.None);
        var atSecond = await store.RecordsInForceAsync("SKU-E", T0.AddDays(1), 10, CancellationToken.None);
        var justBeforeThird = await store.RecordsInForceAsync("SKU-E", new DateTimeOffset(2026, 3, 2, 16, 59, 59, TimeSpan.Zero), 10, CancellationToken.None);
        var afterAll = await store.RecordsInForceAsync("SKU-E", T0.AddYears(1), 10, CancellationToken.None);
        var limited = await store.RecordsInForceAsync("SKU-E", T0.AddYears(1), 2, CancellationToken.None);
        var unknown = await store.RecordsInForceAsync("SKU-NONE", T0.AddYears(1), 10, CancellationToken.None);

        Assert.Empty(before);
        Assert.Equal([records[0]], atFirst);
        Assert.Equal([records[1], records[0]], betweenSecondAndThird);
        Assert.Equal(["c-2", "c-1"], atSecond.Select(record => record.ChangeId));
        Assert.Equal(["c-2", "c-1"], justBeforeThird.Select(record => record.ChangeId));
        Assert.Equal([records[3], records[2], records[1], records[0]], afterAll);
        Assert.Equal(["c-4", "c-3"], limited.Select(record => record.ChangeId));
        Assert.Empty(unknown);
        Assert.Equal(PriceScope.ForStore("0001"), afterAll[1].Scope);
        Assert.Equal(12.25m, afterAll[1].Price);
    }

    [Fact]
    public async Task RecordsInForce_ManyRecords_LimitCapsTheAnswerAndKeepsTheNewest()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var store = backbone.Get<IPriceStore>();
        var records = Enumerable.Range(0, 30).Select(hour => Record("SKU-M", $"m-{hour:D2}", 1m + hour, T0.AddHours(hour))).ToList();
        await store.SaveRecordsAsync(records, CancellationToken.None);

        var inForce = await store.RecordsInForceAsync("SKU-M", T0.AddHours(20).AddMinutes(30), 5, CancellationToken.None);

        Assert.Equal(["m-20", "m-19", "m-18", "m-17", "m-16"], inForce.Select(record => record.ChangeId));
    }

    [Fact]
    public async Task SaveChange_CreateTwiceOrReplaceWithAStaleETag_IsAConflict_ReplaceWithTheCurrentETagWins()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var store = backbone.Get<IPriceStore>();
        var change = Change("pc-etag");

        Assert.Null(await store.GetChangeAsync("pc-etag", CancellationToken.None));
        await store.SaveChangeAsync(change, null, CancellationToken.None);
        await Assert.ThrowsAsync<StorageConflictException>(() => store.SaveChangeAsync(Change("pc-etag"), null, CancellationToken.None));

        var first = (await store.GetChangeAsync("pc-etag", CancellationToken.None))!;
        Assert.True(first.Value.SameRequestAs(change));
        Assert.Equal(PriceChangeStatus.Delivering, first.Value.Status);
        Assert.Equal(Accepted, first.Value.AcceptedAt);

        var delivered = first.Value;
        delivered.Status = PriceChangeStatus.Delivered;
        delivered.Result = new DeliveryCounts(7, 7, 0, 0);
        delivered.FinishedAt = T0;
        await store.SaveChangeAsync(delivered, first.ETag, CancellationToken.None);

        var second = (await store.GetChangeAsync("pc-etag", CancellationToken.None))!;
        Assert.NotEqual(first.ETag, second.ETag);
        Assert.Equal(PriceChangeStatus.Delivered, second.Value.Status);
        Assert.Equal(new DeliveryCounts(7, 7, 0, 0), second.Value.Result);
        Assert.Equal(T0, second.Value.FinishedAt);

        var stale = second.Value;
        stale.Runs = 2;
        await Assert.ThrowsAsync<StorageConflictException>(() => store.SaveChangeAsync(stale, first.ETag, CancellationToken.None));
        Assert.Equal(1, (await store.GetChangeAsync("pc-etag", CancellationToken.None))!.Value.Runs);
    }

    [Fact]
    public async Task SaveChange_IdWithCharactersCosmosForbids_RoundTrips()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var store = backbone.Get<IPriceStore>();
        var change = Change("promo/2026#spring?week\\1");

        await store.SaveChangeAsync(change, null, CancellationToken.None);
        await store.SaveRecordsAsync([Record("SKU-ID", change.Id, 5m, T0)], CancellationToken.None);

        Assert.Equal(change.Id, (await store.GetChangeAsync(change.Id, CancellationToken.None))!.Value.Id);
        Assert.Equal(change.Id, Assert.Single(await store.RecordsInForceAsync("SKU-ID", T0, 10, CancellationToken.None)).ChangeId);
    }

    private static PriceRecord Record(string sku, string changeId, decimal price, DateTimeOffset effectiveAt, PriceScope? scope = null) =>
        new(sku, changeId, price, "USD", effectiveAt, scope ?? PriceScope.All, Accepted);

    private static PriceChange Change(string id) => new()
    {
        Id = id,
        Items = [new PriceItem("SKU-1", 19.99m, "USD"), new PriceItem("SKU-2", 5.25m, "EUR")],
        EffectiveAt = T0,
        Scope = PriceScope.ForRegion("east"),
        AcceptedAt = Accepted,
    };
}
