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
        await MergeByTheWrongCardAsync(backbone);
        var queries = backbone.Get<CustomerQueries>();
        var merged = await queries.FindProfileAsync("loyalty:L1", CancellationToken.None);
        Assert.Equal("customer:C1", merged!.Id);
        Assert.Equal(ConsentState.Revoked, merged.MarketingConsent);
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
        Assert.Equal(ConsentState.Granted, customer.MarketingConsent);
        Assert.Equal(ConsentState.Revoked, cardholder.MarketingConsent);
        Assert.Equal(["s-wrong", "g1", "i1", "v1"], customer.RecentActivity.Select(entry => entry.EventId));
        Assert.Equal(["r1", "i2", "s1"], cardholder.RecentActivity.Select(entry => entry.EventId));
        Assert.Equal(("0042", "0007"), (customer.LastStoreId, cardholder.LastStoreId));
        Assert.NotNull(Assert.Single(customer.Merges).UndoneAt);
        Assert.Equal(["device:d-2", "loyalty:L1"], customer.KeptApart.Order(StringComparer.Ordinal));

        // The same card scanned on the customer's sale again no longer merges them: the rules record why instead.
        await backbone.IngestAsync([Loyalty(Event("s-again", EventTypes.PosSale, 20, "pos", SaleData("0042"), customerId: "C1", source: "/pos/store/0042"))]);
        await backbone.IngestAsync([Viewed("v2", 21, "SKU-2", deviceId: "d-2")], partitionId: "1");
        customer = (await queries.FindProfileAsync("C1", CancellationToken.None))!;
        cardholder = (await queries.FindProfileAsync("loyalty:L1", CancellationToken.None))!;
        Assert.Equal("loyalty:L1", cardholder.Id);
        Assert.Single(customer.Merges);
        Assert.Contains(customer.IdentityDecisions, decision => decision.Identity == "loyalty:L1" && decision.Reason.Contains("undid a merge", StringComparison.Ordinal));
        Assert.Equal("v2", cardholder.RecentActivity[0].EventId);

        var (again, _) = await backbone.Get<MergeUndo>().UndoAsync("customer:C1", merge.MergeId, CancellationToken.None);
        Assert.Equal(MergeUndoStatus.AlreadyUndone, again);
        Assert.Equal(MergeUndoStatus.UnknownMerge, (await backbone.Get<MergeUndo>().UndoAsync("customer:C1", "no-such-merge", CancellationToken.None)).Status);
    }

    [Fact]
    public async Task UndoMerge_FailingAtAnyWriteThenRepeated_EndsAsAnUndoneInOneGo()
    {
        var expected = await UndoWithFaultAsync(failAt: 0, afterStoring: false);
        Assert.True(expected.Writes >= 4, $"The undo wrote {expected.Writes} documents; the scenario should exercise at least four.");

        for (var failAt = 1; failAt <= expected.Writes; failAt++)
        {
            foreach (var afterStoring in new[] { false, true })
            {
                var actual = await UndoWithFaultAsync(failAt, afterStoring);
                Assert.True(actual.Faulted, $"write {failAt} was never reached");
                Assert.Equal(expected.Views, actual.Views);
            }
        }
    }

    [Fact]
    public async Task Erase_TheCardholderAfterAnUndoneMerge_TheCustomerNoLongerNamesTheirIdentities()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        await MergeByTheWrongCardAsync(backbone);
        var queries = backbone.Get<CustomerQueries>();
        var mergeId = (await queries.FindProfileAsync("C1", CancellationToken.None))!.Merges.Single().MergeId;
        await backbone.Get<MergeUndo>().UndoAsync("customer:C1", mergeId, CancellationToken.None);
        await backbone.IngestAsync([Loyalty(Event("s-again", EventTypes.PosSale, 20, "pos", SaleData("0042"), customerId: "C1", source: "/pos/store/0042"))]);
        var before = (await queries.FindProfileAsync("C1", CancellationToken.None))!;
        Assert.Contains("loyalty:L1", before.KeptApart);
        Assert.Contains(before.IdentityDecisions, decision => decision.Identity == "loyalty:L1");

        await backbone.Get<CustomerErasure>().EraseAsync("loyalty:L1", CancellationToken.None);

        var customer = (await queries.FindProfileAsync("C1", CancellationToken.None))!;
        Assert.Empty(customer.KeptApart);
        Assert.DoesNotContain(customer.IdentityDecisions, decision => decision.Identity is "loyalty:L1" or "device:d-2" || decision.KeptWith == "loyalty:L1");
        Assert.Equal(["customer:C1", "device:d-1"], customer.Identities.Order(StringComparer.Ordinal));
    }

    private sealed record UndoRun(int Writes, bool Faulted, IReadOnlyList<string> Views);

    /// <summary>The merge, its undo with the given write failed, the undo asked again if it failed, then the 360 as each identity finds it.</summary>
    private async Task<UndoRun> UndoWithFaultAsync(int failAt, bool afterStoring)
    {
        await using var backbone = await Backbone.StartAsync(servers, FailingNthWrite.Register);
        await MergeByTheWrongCardAsync(backbone);
        var queries = backbone.Get<CustomerQueries>();
        var mergeId = (await queries.FindProfileAsync("C1", CancellationToken.None))!.Merges.Single().MergeId;
        var stores = backbone.Get<FailingNthWrite>();
        var undo = backbone.Get<MergeUndo>();

        stores.Arm(failAt, afterStoring);
        try
        {
            await undo.UndoAsync("customer:C1", mergeId, CancellationToken.None);
        }
        catch (Core.Ports.TransientStorageException)
        {
            // The administrator sees a 503 and asks again.
            var (status, _) = await undo.UndoAsync("customer:C1", mergeId, CancellationToken.None);
            Assert.Contains(status, new[] { MergeUndoStatus.Undone, MergeUndoStatus.AlreadyUndone });
        }

        var (writes, faulted) = (stores.Writes, stores.Failed);
        stores.Arm(0);
        await backbone.IngestAsync([Viewed("v-late", 30, "SKU-3", deviceId: "d-2"), Viewed("v-late-c", 31, "SKU-4", customerId: "C1")]);
        var views = new List<string>();
        foreach (var identity in new[] { "C1", "device:d-1", "loyalty:L1", "device:d-2" })
        {
            var profile = (await queries.FindProfileAsync(identity, CancellationToken.None))!;
            profile.Identities.Sort(StringComparer.Ordinal);

            // When the undo happened is the wall clock's, not the data's.
            profile.Merges = [.. profile.Merges.Select(merge => merge with { UndoneAt = merge.UndoneAt is null ? null : DateTimeOffset.UnixEpoch })];
            views.Add($"{identity} -> {System.Text.Json.JsonSerializer.Serialize(profile)}");
        }

        return new UndoRun(writes, faulted, views);
    }

    /// <summary>
    /// C1 browsed on d-1, signed in and granted consent; L1 bought at store 0007, linked the app d-2 and revoked
    /// consent; then a cashier scanned L1 on C1's sale at store 0042.
    /// </summary>
    private static async Task MergeByTheWrongCardAsync(Backbone backbone)
    {
        await backbone.IngestAsync([Viewed("v1", 0, "SKU-1", deviceId: "d-1"), Identified("i1", 1, "C1", "d-1"), ConsentChanged("g1", 2, "C1", "granted")]);
        await backbone.IngestAsync(
        [
            Loyalty(Event("s1", EventTypes.PosSale, 3, "pos", SaleData("0007"), source: "/pos/store/0007")),
            Loyalty(Event("i2", EventTypes.CustomerIdentified, 4, "app", new JsonObject { ["loyaltyid"] = "L1", ["deviceids"] = new JsonArray("d-2") })),
            Loyalty(Event("r1", EventTypes.ConsentChanged, 5, "app", new JsonObject { ["marketing"] = "revoked" })),
        ], partitionId: "1");
        await backbone.IngestAsync([Loyalty(Event("s-wrong", EventTypes.PosSale, 10, "pos", SaleData("0042"), customerId: "C1", source: "/pos/store/0042"))]);
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
