using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Azure.Cosmos;
using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Core;
using OmniChannel.Core.Customers;
using OmniChannel.Core.Notifications;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Remarketing;
using static OmniChannel.Azure.IntegrationTests.Fixtures.Events;

namespace OmniChannel.Azure.IntegrationTests.Ingest;

/// <summary>The right to erasure on the protocol servers: every container and table, the report, replays and a later return.</summary>
[Collection(ServersCollection.Name)]
public sealed class ErasureTests(ServersFixture servers)
{
    // Values no other test uses, searched for in every document and row.
    private const string Customer = "cust-erase-7";
    private const string Device = "dev-erase-7";
    private const string Loyalty = "loy-erase-7";
    private const string OrderId = "ORD-ERASE-7";
    private static readonly string[] Personal = [Customer, Device, Loyalty];

    [Fact]
    public async Task Erase_ByCustomerId_LeavesNothingPersonalAnywhere_ReplaysStoreNothing_ALaterEventStartsAFreshPerson()
    {
        await using var backbone = await Backbone.StartAsync(servers, services => services
            .AddSingleton<RecordingWorkflowClient>()
            .AddSingleton<IWorkflowClient>(provider => provider.GetRequiredService<RecordingWorkflowClient>())
            .AddSingleton<IEventPublisher, RecordingEventPublisher>()
            .AddSingleton<Core.Ports.IIngestReaction, PickupOrderReaction>());
        var history = PersonHistory();
        foreach (var batch in history)
        {
            await backbone.IngestAsync(batch.Select(e => e.DeepClone().AsObject()));
        }

        await backbone.Get<ICouponLedger>().IssueAsync(
            new Coupon("ERASE-CODE-7", Customer, "r-1", "0001", "SKU-1", new Offer(OfferKind.Percent, 10m, 0m, 24), At(10), At(10).AddDays(1), CouponState.Issued, "remarketing-erase-7"),
            null, null, CancellationToken.None);
        foreach (var rule in new[] { "r-1", "r-2" })
        {
            await backbone.Get<IAttributionStore>().OpenAsync(new AttributionWindow(rule, Customer, AttributionGroup.HeldOut, At(10), At(10).AddDays(7)), CancellationToken.None);
        }

        await backbone.Get<INotificationSender>().SendAsync(new Notification("n-erase-7", Audience.Customer, Customer, "push", "Your order is ready", OrderId, At(11)), CancellationToken.None);
        await backbone.Get<IPaymentGateway>().RefundAsync("rf-erase-7", OrderId, "pay-erase-7", 10m, "expired", CancellationToken.None);

        // The person is there, with a merged loyalty profile and the order.
        var before = await backbone.Get<CustomerQueries>().GetCustomerAsync(Customer, CancellationToken.None);
        Assert.Equal(["customer:" + Customer, "device:" + Device, "loyalty:" + Loyalty], before!.Identities.Order(StringComparer.Ordinal).ToArray());
        Assert.Contains(await backbone.ReadAllAsync(OmniChannelNames.Containers.Profiles), p => p.GetProperty("profile").GetProperty("id").GetString() == "loyalty:" + Loyalty);
        Assert.NotNull(await backbone.Get<IOrderStore>().GetAsync(OrderId, CancellationToken.None));

        var report = await backbone.Get<CustomerErasure>().EraseAsync(Customer, CancellationToken.None);

        Assert.NotNull(report);
        Assert.False(report.AlreadyErased);
        Assert.Equal(3, report.Identities);
        Assert.Equal(history.Sum(batch => batch.Count), report.Events);
        Assert.Equal((1, 1), (report.LiveProfiles, report.MergedProfiles));
        Assert.Equal(2, report.IdentityLinks);
        Assert.Equal(3, report.Tombstones);
        Assert.Equal(1, report.OrdersAnonymised);
        Assert.Equal(1, report.Coupons);
        Assert.Equal(2, report.AttributionWindows);
        Assert.Equal(new OrderRecordsErased(1, 0), report.OrderRecords[OmniChannelNames.Tables.Notifications]);
        Assert.Equal(new OrderRecordsErased(0, 1), report.OrderRecords[OmniChannelNames.Tables.Refunds]);
        await AssertNothingPersonalAsync(backbone);
        var order = (await backbone.Get<IOrderStore>().GetAsync(OrderId, CancellationToken.None))!.Value;
        Assert.Equal((CustomerErasure.ErasedCustomerId, 10m, "0004"), (order.CustomerId, order.Total, order.StoreId));
        Assert.Null(await backbone.Get<CustomerQueries>().GetCustomerAsync(Customer, CancellationToken.None));
        Assert.Null(await backbone.Get<CustomerQueries>().GetCustomerAsync("device:" + Device, CancellationToken.None));

        // The same old events again (in flight at the erasure, or replayed): dropped, counted, nothing stored.
        var replayed = 0;
        foreach (var batch in history)
        {
            replayed += (await backbone.IngestAsync(batch.Select(e => e.DeepClone().AsObject()))).Erased;
        }

        Assert.Equal(history.Sum(batch => batch.Count), replayed);
        await AssertNothingPersonalAsync(backbone);

        // A repeat answers 200 with nothing left to erase.
        var repeat = await backbone.Get<CustomerErasure>().EraseAsync(Customer, CancellationToken.None);
        Assert.True(repeat!.AlreadyErased);
        Assert.Equal((0, 0, 0, 0), (repeat.Events, repeat.LiveProfiles, repeat.IdentityLinks, repeat.OrdersAnonymised));

        // A new event with the same customer id after the erasure: a new, empty person with only that event.
        var comeback = Viewed("back-1", 0, "SKU-9", customerId: Customer);
        comeback["time"] = DateTimeOffset.UtcNow.AddSeconds(1).ToString("O");
        var ingested = await backbone.IngestAsync([comeback]);
        Assert.Equal((1, 0), (ingested.Stored, ingested.Erased));
        var fresh = await backbone.Get<CustomerQueries>().GetCustomerAsync(Customer, CancellationToken.None);
        Assert.Equal(["customer:" + Customer], fresh!.Identities);
        Assert.Equal(["back-1"], fresh.RecentActivity.Select(a => a.EventId).ToArray());
        Assert.Empty(fresh.OpenOrders);
        var timeline = await backbone.Get<CustomerQueries>().GetTimelineAsync(Customer, 50, null, CancellationToken.None);
        Assert.Equal(["back-1"], timeline!.Events.Select(e => e.EventId).ToArray());
    }

    [Fact]
    public async Task Erase_ByDeviceOfAnAnonymousVisitor_DeletesItsEvents_AndAnUnknownIdIsNull()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        await backbone.IngestAsync([Viewed("anon-1", 1, "SKU-1", deviceId: "dev-anon-7"), Viewed("anon-2", 2, "SKU-2", deviceId: "dev-anon-7")]);

        var report = await backbone.Get<CustomerErasure>().EraseAsync("device:dev-anon-7", CancellationToken.None);

        Assert.Equal((1, 2, 0), (report!.Identities, report.Events, report.LiveProfiles));
        Assert.DoesNotContain(await backbone.ReadAllAsync(OmniChannelNames.Containers.Events), e => e.GetRawText().Contains("dev-anon-7", StringComparison.Ordinal));
        Assert.Null(await backbone.Get<CustomerErasure>().EraseAsync("nobody-7", CancellationToken.None));
    }

    /// <summary>
    /// Anonymous browsing on a device, a sign-in, a loyalty card seen alone (its own profile) then with the customer (a
    /// merge), a pickup order: one batch each, as channels would send them.
    /// </summary>
    private static List<List<JsonObject>> PersonHistory()
    {
        var loyaltyAlone = Viewed("e-4", 4, "SKU-4");
        loyaltyAlone["loyaltyid"] = Loyalty;
        var loyaltyJoined = Event("e-5", "omni.customer.identified", 5, "app", new JsonObject { ["loyaltyid"] = Loyalty }, customerId: Customer);
        loyaltyJoined["loyaltyid"] = Loyalty;
        var placed = Event("e-6", "omni.order.placed", 6, "app", new JsonObject
        {
            ["orderid"] = OrderId,
            ["fulfilment"] = "pickup",
            ["storeid"] = "0004",
            ["lines"] = new JsonArray(new JsonObject { ["sku"] = "SKU-Z", ["quantity"] = 2, ["price"] = "5.00" }),
        }, customerId: Customer, source: "/app/ios");
        return
        [
            [Viewed("e-1", 1, "SKU-1", deviceId: Device), Viewed("e-2", 2, "SKU-2", deviceId: Device)],
            [Identified("e-3", 3, Customer, Device)],
            [loyaltyAlone],
            [loyaltyJoined],
            [placed],
        ];
    }

    /// <summary>No document of any container and no row of any table holds one of the person's identifiers.</summary>
    private static async Task AssertNothingPersonalAsync(Backbone backbone)
    {
        var found = new List<string>();
        foreach (var container in CosmosContainers.All)
        {
            foreach (var document in await backbone.ReadAllAsync(container.Name))
            {
                var text = document.GetRawText();
                found.AddRange(Personal.Where(value => text.Contains(value, StringComparison.Ordinal)).Select(value => $"{container.Name}: {value} in {text[..Math.Min(200, text.Length)]}"));
            }
        }

        var tables = backbone.Get<TableServiceClient>();
        foreach (var table in OmniChannelNames.Tables.All)
        {
            await foreach (var entity in tables.GetTableClient(table).QueryAsync<TableEntity>())
            {
                var text = JsonSerializer.Serialize(entity.ToDictionary(pair => pair.Key, pair => pair.Value?.ToString()));
                found.AddRange(Personal.Where(value => text.Contains(value, StringComparison.Ordinal)).Select(value => $"table {table}: {value} in {text[..Math.Min(200, text.Length)]}"));
            }
        }

        Assert.Empty(found);
    }
}
