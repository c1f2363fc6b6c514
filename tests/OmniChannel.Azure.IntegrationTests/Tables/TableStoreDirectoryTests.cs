using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Stores;

namespace OmniChannel.Azure.IntegrationTests.Tables;

[Collection(ServersCollection.Name)]
public sealed class TableStoreDirectoryTests(ServersFixture servers)
{
    [Fact]
    public async Task Upsert_SeedChain_ListsEveryStoreInIdOrderAndReadsOneBack()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var directory = backbone.Get<IStoreDirectory>();
        var seed = StoreSeed.Generate(60);

        await directory.UpsertAsync(seed, CancellationToken.None);
        await directory.UpsertAsync(seed, CancellationToken.None);

        var stores = await directory.ListAsync(CancellationToken.None);
        Assert.Equal(seed.Select(s => s.Id).Order(StringComparer.Ordinal), stores.Select(s => s.Id));
        Assert.True(stores.Select(s => s.TimeZone).Distinct().Count() >= 4);
        Assert.Equal(seed[41], await directory.GetAsync(seed[41].Id, CancellationToken.None));
        Assert.Null(await directory.GetAsync("9999", CancellationToken.None));
    }
}
