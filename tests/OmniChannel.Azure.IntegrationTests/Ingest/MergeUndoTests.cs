using System.Text.Json.Nodes;
using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Core.Customers;
using OmniChannel.Core.Events;
using OmniChannel.Core.Identity;
using OmniChannel.Core.Profiles;
using static OmniChannel.Azure.IntegrationTests.Fixtures.Events;

namespace OmniChannel.Azure.IntegrationTests.Ingest;

/// <summary>
/// A cashier scanned the wrong loyalty card on a signed-in customer's sale, which merged two people; an administrator
/// undoes the merge. On the real Cosmos protocol server, both people end as their own events make them.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class MergeUndoTests(ServersFixture servers)
{
    [Fact]
    public async Task UndoMerge_WrongCardScanned_RebuildsBothPeopleFromTheirEventsAndKeepsThemApart()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        await backbone.IngestAsync([Viewed("v1", 0, "SKU-1", deviceId: "d-1"), Identified("i1", 1, "C1", "d-1"), ConsentChanged("g1", 2, "C1", "granted")]);
        await backbone.IngestAsync(
        [
            Loyalty(Event("s1", EventTypes.PosSale, 3, "pos", SaleData("0007"), source: "/pos/store/0007")),
            Loyalty(Event("i2", EventTypes.CustomerIdentified, 4, "app", new JsonObject { ["loyaltyid"] = "L1", ["deviceids"] = new JsonArray("d-2") })),
            Loyalty(Event("r1", EventTypes.ConsentChanged, 5, "app", new JsonObject { ["marketing"] = "revoked" })),
        ], partitionId: "1");
        var wrongCard = Loyalty(Event("s-wrong", EventTypes.PosSale, 10, "pos", SaleData("0042"), customerId: "C1", source: "/pos/store/0042"));
        await backbone.IngestAsync([wrongCard]);
        var queries = backbone.Get<CustomerQueries>();
        var merged = await queries.FindProfileAsync("loyalty:L1", CancellationToken.None);
        Assert.Equal("customer:C1", merged!.Id);
        Assert.Equal(MarketingConsent.Revoked, merged.MarketingConsent);
        var merge = Assert.Single(merged.Merges);
        Assert.Equal(("loyalty:L1", "s-wrong"), (merge.MergedProfileId, merge.EventId));

        var (status, undone) = await backbone.Get<MergeUndo>().UndoAsync("customer:C1", merge.MergeId, CancellationToken.None);

        Assert.Equal(MergeUndoStatus.Undone, status);
        Assert.Equal(["device:d-2", "loyalty:L1"], undone!.RestoredIdentities);
        var customer = (await queries.FindProfileAsync("C1", CancellationToken.None))!;
        var cardholder = (await queries.FindProfileAsync("device:d-2", CancellationToken.None))!;
        Assert.Equal(("customer:C1", "loyalty:L1"), (customer.Id, cardholder.Id));
        Assert.Equal(["customer:C1", "device:d-1"], customer.Identities.Order(StringComparer.Ordinal));
        Assert.Equal(["device:d-2", "loyalty:L1"], cardholder.Identities.Order(StringComparer.Ordinal));
        Assert.Equal(MarketingConsent.Granted, customer.MarketingConsent);
        Assert.Equal(MarketingConsent.Revoked, cardholder.MarketingConsent);
        Assert.Equal(["s-wrong", "g1", "i1", "v1"], customer.RecentActivity.Select(entry => entry.EventId));
        Assert.Equal(["r1", "i2", "s1"], cardholder.RecentActivity.Select(entry => entry.EventId));
        Assert.Equal(("0042", "0007"), (customer.LastStoreId, cardholder.LastStoreId));
        Assert.Empty(customer.Merges);
        Assert.Equal(["device:d-2", "loyalty:L1"], customer.KeptApart.Order(StringComparer.Ordinal));

        // The same card scanned on the customer's sale again no longer merges them: the rules record why instead.
        await backbone.IngestAsync([Loyalty(Event("s-again", EventTypes.PosSale, 20, "pos", SaleData("0042"), customerId: "C1", source: "/pos/store/0042"))]);
        await backbone.IngestAsync([Viewed("v2", 21, "SKU-2", deviceId: "d-2")], partitionId: "1");
        customer = (await queries.FindProfileAsync("C1", CancellationToken.None))!;
        cardholder = (await queries.FindProfileAsync("loyalty:L1", CancellationToken.None))!;
        Assert.Equal("loyalty:L1", cardholder.Id);
        Assert.Empty(customer.Merges);
        Assert.Contains(customer.IdentityDecisions, decision => decision.Identity == "loyalty:L1" && decision.Reason.Contains("undid a merge", StringComparison.Ordinal));
        Assert.Equal("v2", cardholder.RecentActivity[0].EventId);

        var (again, _) = await backbone.Get<MergeUndo>().UndoAsync("customer:C1", merge.MergeId, CancellationToken.None);
        Assert.Equal(MergeUndoStatus.UnknownMerge, again);
    }

    private static JsonObject SaleData(string storeId) => new()
    {
        ["storeid"] = storeId,
        ["lines"] = new JsonArray(new JsonObject { ["sku"] = "SKU-1", ["quantity"] = 1, ["price"] = "9.99" }),
    };

    private static JsonObject Loyalty(JsonObject cloudEvent)
    {
        cloudEvent["loyaltyid"] = "L1";
        return cloudEvent;
    }
}
