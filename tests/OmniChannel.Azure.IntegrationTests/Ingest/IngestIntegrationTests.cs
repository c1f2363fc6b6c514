using System.Text.Json;
using System.Text.Json.Nodes;
using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Core;
using OmniChannel.Core.Customers;
using OmniChannel.Core.Events;
using OmniChannel.Core.Profiles;
using OmniChannel.Core.Stores;
using OmniChannel.Simulation;
using Xunit.Abstractions;
using static OmniChannel.Azure.IntegrationTests.Fixtures.Events;

namespace OmniChannel.Azure.IntegrationTests.Ingest;

[Collection(ServersCollection.Name)]
public sealed class IngestIntegrationTests(ServersFixture servers, ITestOutputHelper output)
{
    [Fact]
    public async Task Ingest_AnonymousBrowsingThenSignIn_ProfileAndTimelineIncludeAnonymousEvents()
    {
        await using var backbone = await Backbone.StartAsync(servers);

        await backbone.IngestAsync([Viewed("v1", 1, "SKU-1", deviceId: "d-1"), Viewed("v2", 2, "SKU-2", deviceId: "d-1"), Viewed("v3", 3, "SKU-3", deviceId: "d-1")]);
        await backbone.IngestAsync([Identified("i1", 4, "c-1", "d-1")]);
        await backbone.IngestAsync([Viewed("v4", 5, "SKU-4", customerId: "c-1")]);

        var queries = backbone.Get<CustomerQueries>();
        var customer = await queries.GetCustomerAsync("c-1", CancellationToken.None);
        Assert.NotNull(customer);
        Assert.Equal("customer:c-1", customer.ProfileId);
        Assert.Equal(["customer:c-1", "device:d-1"], customer.Identities.Order().ToArray());
        Assert.Equal(JourneyStage.Considering, customer.JourneyStage);
        Assert.Equal(At(5), customer.LastSeenAt);

        var viaDevice = await queries.GetCustomerAsync("device:d-1", CancellationToken.None);
        Assert.Equal("customer:c-1", viaDevice!.ProfileId);

        var timeline = await queries.GetTimelineAsync("c-1", 50, null, CancellationToken.None);
        Assert.Equal(["v4", "i1", "v3", "v2", "v1"], timeline!.Events.Select(e => e.EventId).ToArray());
        Assert.Null(timeline.Continuation);
    }

    [Fact]
    public async Task Timeline_PagedByTwo_WalksEveryEventOnceNewestFirst()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        await backbone.IngestAsync([Viewed("a1", 1, "S1", deviceId: "d-9"), Viewed("a2", 2, "S2", deviceId: "d-9")]);
        await backbone.IngestAsync([Identified("a3", 3, "c-9", "d-9"), Viewed("a4", 4, "S4", customerId: "c-9"), Viewed("a5", 5, "S5", customerId: "c-9")]);
        var queries = backbone.Get<CustomerQueries>();

        var seen = new List<string>();
        string? continuation = null;
        var pages = 0;
        do
        {
            var page = await queries.GetTimelineAsync("c-9", 2, continuation, CancellationToken.None);
            seen.AddRange(page!.Events.Select(e => e.EventId));
            continuation = page.Continuation;
            pages++;
        }
        while (continuation is not null && pages < 10);

        Assert.Equal(["a5", "a4", "a3", "a2", "a1"], seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task Ingest_SignInBeforeBrowsing_EndsInTheSameProfileAsInOrder()
    {
        await using var inOrder = await Backbone.StartAsync(servers);
        await inOrder.IngestAsync([Viewed("o1", 1, "SKU-1", deviceId: "d-2")]);
        await inOrder.IngestAsync([Identified("o2", 2, "c-2", "d-2")]);

        await using var reversed = await Backbone.StartAsync(servers);
        await reversed.IngestAsync([Identified("o2", 2, "c-2", "d-2")]);
        await reversed.IngestAsync([Viewed("o1", 1, "SKU-1", deviceId: "d-2")]);

        var first = await inOrder.Get<CustomerQueries>().GetCustomerAsync("c-2", CancellationToken.None);
        var second = await reversed.Get<CustomerQueries>().GetCustomerAsync("c-2", CancellationToken.None);
        Assert.Equal(first!.ProfileId, second!.ProfileId);
        Assert.Equal(first.Identities.Order(), second.Identities.Order());
        Assert.Equal(first.JourneyStage, second.JourneyStage);
        Assert.Equal(first.RecentActivity.Select(a => a.EventId), second.RecentActivity.Select(a => a.EventId));
        Assert.Equal(first.FirstSeenAt, second.FirstSeenAt);
    }

    [Fact]
    public async Task Ingest_TwoExistingProfilesJoined_MergedIntoTheStrongestWithAPointerLeft()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        await backbone.IngestAsync([WithLoyalty(Viewed("m1", 1, "SKU-1"), "L-3"), ConsentChanged("m2", 2, "c-3", "granted")]);
        await backbone.IngestAsync([WithLoyalty(Viewed("m3", 3, "SKU-3"), "L-3"), Viewed("m4", 4, "SKU-4", customerId: "c-3")]);

        var joined = WithLoyalty(Event("m5", "omni.customer.identified", 5, "app", new JsonObject { ["loyaltyid"] = "L-3" }, customerId: "c-3"), "L-3");
        var report = await backbone.IngestAsync([joined]);

        Assert.Equal(1, report.Merges);
        var profiles = await backbone.ReadAllAsync(OmniChannelNames.Containers.Profiles);
        var loyalty = profiles.Single(p => p.GetProperty("profile").GetProperty("id").GetString() == "loyalty:L-3");
        Assert.Equal("customer:c-3", loyalty.GetProperty("profile").GetProperty("mergedInto").GetString());
        var customer = await backbone.Get<CustomerQueries>().GetCustomerAsync("loyalty:L-3", CancellationToken.None);
        Assert.Equal("customer:c-3", customer!.ProfileId);
        Assert.Equal(ConsentState.Granted, customer.MarketingConsent);
        Assert.Equal(["m5", "m4", "m3", "m2", "m1"], customer.RecentActivity.Select(a => a.EventId).ToArray());
        var timeline = await backbone.Get<CustomerQueries>().GetTimelineAsync("c-3", 10, null, CancellationToken.None);
        Assert.Equal(5, timeline!.Events.Count);
    }

    [Fact]
    public async Task Ingest_AnonymousDevice_CostsNoProfileWrite_YetReadsAsAProfile()
    {
        await using var backbone = await Backbone.StartAsync(servers);

        var report = await backbone.IngestAsync([Viewed("n1", 1, "SKU-1", deviceId: "d-n"), Viewed("n2", 2, "SKU-2", deviceId: "d-n")]);

        Assert.Equal(0, report.ProfilesWritten);
        Assert.Empty(await backbone.ReadAllAsync(OmniChannelNames.Containers.Profiles));
        var visitor = await backbone.Get<CustomerQueries>().GetCustomerAsync("device:d-n", CancellationToken.None);
        Assert.Equal("device:d-n", visitor!.ProfileId);
        Assert.Equal(JourneyStage.Browsing, visitor.JourneyStage);
        Assert.Equal(["n2", "n1"], visitor.RecentActivity.Select(a => a.EventId).ToArray());
        Assert.Null(await backbone.Get<CustomerQueries>().GetCustomerAsync("device:nobody", CancellationToken.None));
    }

    private static JsonObject WithLoyalty(JsonObject cloudEvent, string loyaltyId)
    {
        cloudEvent["loyaltyid"] = loyaltyId;
        return cloudEvent;
    }

    [Fact]
    public async Task Ingest_RedeliveredBatch_ChangesNothing()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        JsonObject[] batch =
        [
            Viewed("r1", 1, "SKU-1", deviceId: "d-4"), Identified("r2", 2, "c-4", "d-4"),
            InventoryAdjusted("r3", 3, "0001", "SKU-1", 10), PosSale("r4", 4, "0001", "c-4", ("SKU-1", 2)),
        ];
        var first = await backbone.IngestAsync(batch.Select(e => e.DeepClone().AsObject()));
        var before = await SnapshotAsync(backbone);

        var second = await backbone.IngestAsync(batch.Select(e => e.DeepClone().AsObject()));

        Assert.Equal(4, first.Stored);
        Assert.Equal(0, second.Stored);
        Assert.Equal(4, second.Duplicates);
        Assert.Equal(0, second.ProfilesWritten);
        Assert.Equal(0, second.InventoryItemsWritten);
        Assert.Equal(before, await SnapshotAsync(backbone));
    }

    [Fact]
    public async Task Ingest_AdjustmentsAndSales_MoveStockOnce_AlsoFromConcurrentBatches()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        await backbone.IngestAsync([InventoryAdjusted("s1", 1, "0002", "SKU-7", 20)]);

        // Two partitions' batches touch the same item at once: the ETag makes one of them re-read and re-apply.
        await Task.WhenAll(
            backbone.IngestAsync([PosSale("s2", 2, "0002", "c-5", ("SKU-7", 3)), InventoryAdjusted("s3", 3, "0002", "SKU-7", -1)], "1"),
            backbone.IngestAsync([PosSale("s4", 2, "0002", "c-6", ("SKU-7", 4), ("SKU-8", 1))], "2"));
        await backbone.IngestAsync([PosSale("s2", 2, "0002", "c-5", ("SKU-7", 3))]);

        var stock = await backbone.Get<OmniChannel.Core.Ports.IInventoryStore>().ReadAsync("0002", "SKU-7", CancellationToken.None);
        Assert.Equal(20 - 3 - 1 - 4, stock!.Value.OnHand);
        Assert.Equal(12, stock.Value.Available);
        var other = await backbone.Get<OmniChannel.Core.Ports.IInventoryStore>().ReadAsync("0002", "SKU-8", CancellationToken.None);
        Assert.Equal(-1, other!.Value.OnHand);
    }

    [Fact]
    public async Task Ingest_PoisonEvents_DeadLetteredWithReason_RestOfBatchApplied()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var unknownType = Viewed("p2", 2, "SKU-2", deviceId: "d-7");
        unknownType["type"] = "omni.product.teleported";
        var batch = new[]
        {
            Backbone.ToEventData(Viewed("p1", 1, "SKU-1", deviceId: "d-7")),
            new global::Azure.Messaging.EventHubs.EventData("not json at all"u8.ToArray()),
            Backbone.ToEventData(unknownType),
            Backbone.ToEventData(Viewed("p3", 3, "SKU-3", deviceId: "d-7")),
        };

        var report = await backbone.Get<OmniChannel.Azure.EventHubs.EventHubBatchHandler>().HandleAsync(batch, "3", CancellationToken.None);

        Assert.Equal(2, report.DeadLettered);
        Assert.Equal(2, report.Stored);
        var letters = await backbone.ReadAllAsync(OmniChannelNames.Containers.DeadLetters);
        Assert.Equal(2, letters.Count);
        Assert.Contains(letters, l => l.GetProperty("reason").GetString()!.Contains("not JSON", StringComparison.Ordinal));
        Assert.Contains(letters, l => l.GetProperty("reason").GetString()!.Contains("omni.product.teleported", StringComparison.Ordinal));
        Assert.All(letters, l => Assert.Equal("3", l.GetProperty("partitionId").GetString()));
        var events = await backbone.ReadAllAsync(OmniChannelNames.Containers.Events);
        Assert.Equal(["p1", "p3"], events.Select(e => e.GetProperty("eventId").GetString()!).Order().ToArray());
    }

    [Fact]
    public async Task Ingest_LateConsentEvent_DoesNotOverrideNewerConsent()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        await backbone.IngestAsync([ConsentChanged("k2", 20, "c-8", "revoked")]);
        await backbone.IngestAsync([ConsentChanged("k1", 10, "c-8", "granted")]);

        var customer = await backbone.Get<CustomerQueries>().GetCustomerAsync("c-8", CancellationToken.None);

        Assert.Equal(ConsentState.Revoked, customer!.MarketingConsent);
        Assert.Equal(At(20), customer.ConsentChangedAt);
    }

    [Fact]
    public async Task Ingest_RealisticDays_EveryEventStoredOnce_WritesPer1000EventsFarBelowNaive()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var batching = EventHubBatchingOptions.Backlog(batchSize: 500, partitionCount: 8);

        // Day 1 meets everyone for the first time; days 2 and 3 are the same people coming back: the steady state.
        var firstDay = await CostedDay.IngestAsync(backbone, CostedDay.Day(7, 250, At(0)), batching);
        var returning = await CostedDay.IngestAsync(backbone, CostedDay.Day(7, 250, At(0).AddDays(1)), batching);
        var third = await CostedDay.IngestAsync(backbone, CostedDay.Day(7, 250, At(0).AddDays(2)), batching);

        var stored = await backbone.ReadAllAsync(OmniChannelNames.Containers.Events);
        Assert.Equal(firstDay.Events + returning.Events + third.Events, stored.Count);
        Assert.Equal(stored.Count, stored.Select(d => d.GetProperty("id").GetString()).Distinct().Count());
        var steadyPerThousand = (returning.Total.Writes + third.Total.Writes) * 1000.0 / (returning.Events + third.Events);
        output.WriteLine($"first day:\n{firstDay.Describe()}\nsecond day:\n{returning.Describe()}\nthird day:\n{third.Describe()}\nsteady state {steadyPerThousand:0} writes per 1,000 events");
        output.WriteLine("profile bytes by field after day 3 (what each replace is charged for):\n" + await ProfileBytesByFieldAsync(backbone));

        // The bound guards against regressions: a naive design (event + profile + identity per event) costs about 3,000.
        Assert.True(firstDay.Total.Writes * 1000.0 / firstDay.Events <= 1350, $"first day:\n{firstDay.Describe()}");
        Assert.True(steadyPerThousand <= 1350, $"steady state: {steadyPerThousand:0} Cosmos writes per 1,000 events");
    }

    /// <summary>The stored profiles' average size, and each top-level field's average share of it, largest first.</summary>
    private static async Task<string> ProfileBytesByFieldAsync(Backbone backbone)
    {
        var profiles = (await backbone.ReadAllAsync(OmniChannelNames.Containers.Profiles)).Select(document => document.GetProperty("profile")).ToList();
        var byField = profiles.SelectMany(profile => profile.EnumerateObject())
            .GroupBy(property => property.Name)
            .Select(field => (field.Key, Bytes: field.Sum(property => property.Name.Length + 3 + property.Value.GetRawText().Length) / (double)profiles.Count))
            .OrderByDescending(field => field.Bytes);
        var total = profiles.Average(profile => profile.GetRawText().Length);
        return $"{profiles.Count} profiles, {total:0} bytes on average: " + string.Join(", ", byField.Select(field => $"{field.Key} {field.Bytes:0}"));
    }

    /// <summary>Every document of every container the ingest writes, without the server's system properties.</summary>
    private static async Task<string> SnapshotAsync(Backbone backbone)
    {
        var parts = new List<string>();
        foreach (var container in new[] { OmniChannelNames.Containers.Events, OmniChannelNames.Containers.Profiles, OmniChannelNames.Containers.Identities, OmniChannelNames.Containers.Inventory })
        {
            foreach (var document in await backbone.ReadAllAsync(container))
            {
                var node = JsonNode.Parse(document.GetRawText())!.AsObject();
                foreach (var system in new[] { "_etag", "_ts", "_rid", "_self", "_attachments", "_lsn" })
                {
                    node.Remove(system);
                }

                parts.Add(container + ":" + node.ToJsonString());
            }
        }

        parts.Sort(StringComparer.Ordinal);
        return string.Join("\n", parts);
    }
}
