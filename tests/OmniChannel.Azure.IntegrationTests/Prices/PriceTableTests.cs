using Azure.Data.Tables;
using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Core;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Prices;

namespace OmniChannel.Azure.IntegrationTests.Prices;

/// <summary>
/// The subscriber registry, the secret store and the delivery ledger on Azurite. The tables are shared by the whole
/// collection, so every test works under ids of its own.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class PriceTableTests(ServersFixture servers)
{
    private static readonly DateTimeOffset Created = new(2026, 2, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Registry_UpsertListGetReplaceDelete_RoundTripsEverySubscriber()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var registry = backbone.Get<ISubscriberRegistry>();
        var prefix = Prefix();
        PriceSubscriber[] subscribers =
        [
            new(prefix + "pos:0001", SubscriberKind.Pos, PriceScope.ForStore("0001"), new Uri("https://pos.example/0001/prices?tenant=a&b=1"), true, Created),
            new(prefix + "hub.east_1", SubscriberKind.Signage, PriceScope.ForRegion("east"), new Uri("https://esl.example/east"), true, Created.AddMinutes(1)),
            new(prefix + "web", SubscriberKind.Web, PriceScope.All, new Uri("http://web.example:8080/hooks/prices"), false, Created.AddMinutes(2)),
        ];

        await registry.UpsertAsync(subscribers, CancellationToken.None);

        var listed = (await registry.ListAsync(CancellationToken.None)).Where(subscriber => subscriber.Id.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        Assert.Equal(subscribers.OrderBy(subscriber => subscriber.Id, StringComparer.Ordinal), listed);
        Assert.Equal(subscribers[0], await registry.GetAsync(subscribers[0].Id, CancellationToken.None));
        Assert.Null(await registry.GetAsync(prefix + "nobody", CancellationToken.None));

        var moved = subscribers[1] with { Endpoint = new Uri("https://esl.example/east/v2"), Enabled = false, Scope = PriceScope.ForRegion("central") };
        await registry.UpsertAsync([moved], CancellationToken.None);
        Assert.Equal(moved, await registry.GetAsync(moved.Id, CancellationToken.None));

        Assert.True(await registry.DeleteAsync(subscribers[2].Id, CancellationToken.None));
        Assert.False(await registry.DeleteAsync(subscribers[2].Id, CancellationToken.None));
        Assert.Null(await registry.GetAsync(subscribers[2].Id, CancellationToken.None));
        Assert.Equal(
            [subscribers[1].Id, subscribers[0].Id],
            (await registry.ListAsync(CancellationToken.None)).Select(subscriber => subscriber.Id).Where(id => id.StartsWith(prefix, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Registry_UpsertMoreThanOneTransaction_ListsThemAll()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var registry = backbone.Get<ISubscriberRegistry>();
        var prefix = Prefix();
        var subscribers = Enumerable.Range(0, 250)
            .Select(index => new PriceSubscriber($"{prefix}{index:D3}", SubscriberKind.Pos, PriceScope.ForStore($"{index % 60 + 1:D4}"), new Uri($"https://pos.example/{index}"), true, Created))
            .ToList();

        await registry.UpsertAsync(subscribers, CancellationToken.None);

        var listed = (await registry.ListAsync(CancellationToken.None)).Where(subscriber => subscriber.Id.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        Assert.Equal(subscribers, listed);
    }

    [Fact]
    public async Task GetMany_ABatchOfIds_AnswersExactlyTheRegisteredOnesAndTheirSecrets_NotTheOthersInTheirRange()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var registry = backbone.Get<ISubscriberRegistry>();
        var secrets = backbone.Get<ISubscriberSecretStore>();
        var prefix = Prefix();
        // Ids that need escaping sort among the others; every other one is left out of the batch but lies in its range.
        var subscribers = Enumerable.Range(0, 12)
            .Select(index => new PriceSubscriber(index % 3 == 0 ? $"{prefix}{index:D2}/pos#{index}" : $"{prefix}{index:D2}", SubscriberKind.Pos, PriceScope.All, new Uri($"https://pos.example/{index}"), index != 4, Created))
            .ToList();
        await registry.UpsertAsync(subscribers, CancellationToken.None);
        foreach (var subscriber in subscribers.Where((_, index) => index != 6))
        {
            await secrets.SetAsync(subscriber.Id, "whsec_" + subscriber.Id, CancellationToken.None);
        }

        var batch = subscribers.Where((_, index) => index % 2 == 0).Select(subscriber => subscriber.Id).Append(prefix + "unknown").ToList();

        var found = await registry.GetManyAsync(batch, CancellationToken.None);
        var signing = await secrets.GetSigningSecretsAsync(batch, CancellationToken.None);

        var wanted = subscribers.Where((_, index) => index % 2 == 0).ToList();
        Assert.Equal(wanted.ToDictionary(subscriber => subscriber.Id), found.OrderBy(pair => pair.Key, StringComparer.Ordinal).ToDictionary());
        Assert.Equal(
            wanted.Where(subscriber => subscriber != subscribers[6]).Select(subscriber => (subscriber.Id, "whsec_" + subscriber.Id)).Order(),
            signing.Select(pair => (pair.Key, Assert.Single(pair.Value))).Order());
        Assert.Empty(await registry.GetManyAsync([], CancellationToken.None));
    }

    [Fact]
    public async Task SubscriberAdmin_Put_KeepsTheSecretOutOfTheRegistryEntity_SecondPutMakesNoNewSecret_DeleteRemovesBoth()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var admin = backbone.Get<SubscriberAdmin>();
        var secrets = backbone.Get<ISubscriberSecretStore>();
        var tables = backbone.Get<TableServiceClient>();
        var id = Prefix() + "signage";
        var request = new SubscriberRequest(id, SubscriberKind.Signage, PriceScope.ForStore("0002"), new Uri("https://signage.example/0002"), true);

        var (created, secret) = await admin.PutAsync(request, CancellationToken.None);
        var (replaced, secondSecret) = await admin.PutAsync(request with { Endpoint = new Uri("https://signage.example/0002/v2") }, CancellationToken.None);

        Assert.NotNull(secret);
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        Assert.Null(secondSecret);
        Assert.Equal(secret, await secrets.GetAsync(id, CancellationToken.None));
        Assert.Equal(created.CreatedAt, replaced.CreatedAt);
        Assert.Equal(new Uri("https://signage.example/0002/v2"), (await admin.GetAsync(id, CancellationToken.None))!.Endpoint);

        // The registry's own entity, as stored: no secret under any name.
        var entity = (await tables.GetTableClient(OmniChannelNames.Tables.PriceSubscribers)
            .QueryAsync<TableEntity>(row => row.PartitionKey == "subscriber").ToListAsync())
            .Single(row => Uri.UnescapeDataString(row.RowKey) == id);
        Assert.DoesNotContain(entity.Keys, key => key.Contains("secret", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(entity, property => property.Value?.ToString()?.Contains(secret["whsec_".Length..], StringComparison.Ordinal) == true);
        Assert.Contains(entity.Keys, key => key == "Endpoint");

        Assert.True(await admin.DeleteAsync(id, CancellationToken.None));
        Assert.Null(await secrets.GetAsync(id, CancellationToken.None));
        Assert.Null(await admin.GetAsync(id, CancellationToken.None));
        Assert.False(await admin.DeleteAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task Ledger_RecordMoreRowsThanOneTransactionTakes_ListsThemAll_GetsOne_LaterRowsReplace()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var ledger = backbone.Get<IDeliveryLedger>();
        var change = Prefix() + "change:1";
        var other = Prefix() + "change/2";
        var rows = Enumerable.Range(0, 230)
            .Select(index => new SubscriberDelivery(change, $"pos-{index:D4}", DeliveryState.Pending, 0, null, null, false, Created, null))
            .ToList();
        SubscriberDelivery[] otherRows = [new(other, "pos-0001", DeliveryState.Delivered, 1, 204, null, false, Created, Created)];

        await ledger.RecordAsync([.. rows, .. otherRows], CancellationToken.None);

        var listed = await ledger.ListAsync(change, CancellationToken.None);
        Assert.Equal(230, listed.Count);
        Assert.Equal(rows, listed.OrderBy(row => row.SubscriberId, StringComparer.Ordinal));
        Assert.Equal(otherRows, await ledger.ListAsync(other, CancellationToken.None));
        Assert.Equal(rows[117], await ledger.GetAsync(change, "pos-0117", CancellationToken.None));
        Assert.Null(await ledger.GetAsync(change, "pos-9999", CancellationToken.None));
        Assert.Empty(await ledger.ListAsync(Prefix() + "never", CancellationToken.None));

        var failed = rows[5] with { State = DeliveryState.Failed, Attempts = 3, LastStatusCode = 410, LastError = "HTTP 410 Gone", Permanent = true, UpdatedAt = Created.AddMinutes(5) };
        var delivered = rows[150] with { State = DeliveryState.Delivered, Attempts = 2, LastStatusCode = 204, UpdatedAt = Created.AddMinutes(5), DeliveredAt = Created.AddMinutes(5) };
        await ledger.RecordAsync([failed, delivered], CancellationToken.None);

        Assert.Equal(failed, await ledger.GetAsync(change, rows[5].SubscriberId, CancellationToken.None));
        Assert.Equal(delivered, await ledger.GetAsync(change, rows[150].SubscriberId, CancellationToken.None));
        var counts = PriceDeliverer.Count((await ledger.ListAsync(change, CancellationToken.None)).Select(row => row.State));
        Assert.Equal(new DeliveryCounts(230, 1, 1, 228), counts);
    }

    private static string Prefix() => "t" + Guid.NewGuid().ToString("N")[..8] + "-";
}
