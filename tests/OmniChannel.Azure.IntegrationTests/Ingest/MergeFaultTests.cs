using System.Text.Json;
using System.Text.Json.Nodes;
using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Core.Customers;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Profiles;
using Xunit.Abstractions;
using static OmniChannel.Azure.IntegrationTests.Fixtures.Events;

namespace OmniChannel.Azure.IntegrationTests.Ingest;

/// <summary>
/// A merge of two stored profiles (customer C1 and loyalty card L1, which has a device of its own) on the real Cosmos
/// protocol server, with every write of the merge failed in turn, and with a concurrent batch writing the merged
/// profile in the middle of the merge: each ends in the Customer 360 a clean run gives.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class MergeFaultTests(ServersFixture servers, ITestOutputHelper output)
{
    private static readonly string[] Identities = ["C1", "loyalty:L1", "device:d-1", "device:d-2", "device:d-3"];

    [Fact]
    public async Task Merge_FailingAtAnyWrite_EndsAsACleanRunDoes()
    {
        var expected = await RunAsync(failAt: 0, failAfterStoring: false);
        Assert.True(expected.MergeWrites >= 5, $"The merge wrote {expected.MergeWrites} documents; the scenario should exercise at least five.");

        for (var failAt = 1; failAt <= expected.MergeWrites; failAt++)
        {
            foreach (var afterStoring in new[] { false, true })
            {
                var actual = await RunAsync(failAt, afterStoring);
                output.WriteLine($"write {failAt} failed {(afterStoring ? "after" : "before")} storing: {actual.MergeWrites} writes");
                Assert.True(actual.Faulted, $"write {failAt} was never reached");
                Assert.Equal(expected.Views, actual.Views);
            }
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Merge_ConcurrentSaleOnTheMergedProfile_ReachesTheSurvivor(int afterWrite)
    {
        await using var backbone = await StartAsync();
        var stores = backbone.Get<FailingNthWrite>();
        await SetUpAsync(backbone);
        var concurrentSale = LoyaltySale("s-race", 11);
        stores.Arm(afterWrite, afterWrite: () => backbone.IngestAsync([concurrentSale], partitionId: "1"));

        await backbone.IngestAsync(MergeBatch());

        var queries = backbone.Get<CustomerQueries>();
        var survivor = (await queries.FindProfileAsync("C1", CancellationToken.None))!;
        Assert.Contains(survivor.RecentActivity, entry => entry.EventId == "s-race");
        Assert.Equal(JourneyStage.Purchased, survivor.Stage);
        var merged = (await backbone.Get<IProfileStore>().ReadManyAsync(["loyalty:L1"], CancellationToken.None)).Single().Value;
        Assert.Equal("customer:C1", merged.MergedInto);
        Assert.Equal("customer:C1", (await queries.FindProfileAsync("loyalty:L1", CancellationToken.None))!.Id);
    }

    private sealed record Outcome(int MergeWrites, bool Faulted, IReadOnlyList<string> Views);

    /// <summary>The scenario on a database of its own; the merge batch with the given fault; then a later batch; the 360 as each identity finds it.</summary>
    private async Task<Outcome> RunAsync(int failAt, bool failAfterStoring)
    {
        await using var backbone = await StartAsync();
        var stores = backbone.Get<FailingNthWrite>();
        await SetUpAsync(backbone);

        stores.Arm(failAt, failAfterStoring);
        await backbone.IngestAsync(MergeBatch());
        var (writes, faulted) = (stores.Writes, stores.Failed);
        stores.Arm(0);

        // Later events of the merged identities must reach the survivor too.
        await backbone.IngestAsync([Viewed("v-late", 20, "SKU-9", deviceId: "d-2"), LoyaltySale("s-late", 21)]);

        var queries = backbone.Get<CustomerQueries>();
        var views = new List<string>();
        foreach (var identity in Identities)
        {
            var profile = await queries.FindProfileAsync(identity, CancellationToken.None);
            views.Add($"{identity} -> {Snapshot(profile)}");
        }

        return new Outcome(writes, faulted, views);
    }

    private Task<Backbone> StartAsync() => Backbone.StartAsync(servers, FailingNthWrite.Register);

    /// <summary>
    /// C1 signed in on d-1 after browsing and granted consent; L1 bought in store, signed in on d-2 (which browsed) and
    /// revoked consent; d-3 browsed anonymously.
    /// </summary>
    private static async Task SetUpAsync(Backbone backbone)
    {
        await backbone.IngestAsync([Viewed("v0", 0, "SKU-1", deviceId: "d-1"), Identified("i1", 1, "C1", "d-1"), ConsentChanged("g1", 5, "C1", "granted")], partitionId: "0");
        await backbone.IngestAsync(
        [
            LoyaltySale("s1", 2),
            Loyalty(Event("i2", "omni.customer.identified", 3, "app", new JsonObject { ["loyaltyid"] = "L1", ["deviceid"] = "d-2" }, deviceId: "d-2")),
            Loyalty(Event("r1", "omni.consent.changed", 4, "app", new JsonObject { ["marketing"] = "revoked" })),
            Viewed("v2", 6, "SKU-2", deviceId: "d-2"),
            Viewed("v3", 7, "SKU-3", deviceId: "d-3"),
        ], partitionId: "1");
    }

    /// <summary>One sale joins C1 and L1; a sign-in joins d-3 to C1.</summary>
    private static JsonObject[] MergeBatch() =>
        [Loyalty(PosSale("s-join", 10, "0001", "C1", ("SKU-1", 1))), Identified("i3", 10, "C1", "d-3")];

    private static JsonObject LoyaltySale(string id, int minute)
    {
        var sale = PosSale(id, minute, "0001", "C1", ("SKU-2", 1));
        sale.Remove("customerid");
        return Loyalty(sale);
    }

    private static JsonObject Loyalty(JsonObject cloudEvent)
    {
        cloudEvent["loyaltyid"] = "L1";
        return cloudEvent;
    }

    /// <summary>The profile with its sets in a fixed order (the order identities were added in is not part of the 360).</summary>
    private static string Snapshot(CustomerProfile? profile)
    {
        if (profile is null)
        {
            return "none";
        }

        profile.Identities.Sort(StringComparer.Ordinal);
        return JsonSerializer.Serialize(profile);
    }
}
