using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;
using static OmniChannel.Azure.IntegrationTests.Fixtures.Events;

namespace OmniChannel.Azure.IntegrationTests.Orders;

/// <summary>Pickup orders that reach ingest as <c>omni.order.placed</c> events from a channel.</summary>
[Collection(ServersCollection.Name)]
public sealed class PickupOrderEventTests(ServersFixture servers)
{
    [Fact]
    public async Task Ingest_PickupOrderEventRedelivered_CreatesTheOrderAndStartsItsWorkflowOnce()
    {
        await using var backbone = await StartAsync();
        var placed = Event("ev-o1", "omni.order.placed", 5, "app", new JsonObject
        {
            ["orderid"] = "APP-77",
            ["fulfilment"] = "pickup",
            ["storeid"] = "0004",
            ["lines"] = new JsonArray(new JsonObject { ["sku"] = "SKU-Z", ["quantity"] = 2, ["price"] = "5.00" }),
        }, customerId: "c-77", source: "/app/ios");
        var shipped = Event("ev-o2", "omni.order.placed", 6, "web", new JsonObject
        {
            ["orderid"] = "WEB-78",
            ["fulfilment"] = "ship",
            ["lines"] = new JsonArray(new JsonObject { ["sku"] = "SKU-Z", ["quantity"] = 1, ["price"] = "5.00" }),
        }, customerId: "c-78");

        await backbone.IngestAsync([placed.DeepClone().AsObject(), shipped]);
        await backbone.IngestAsync([placed.DeepClone().AsObject()]);

        var workflows = backbone.Get<RecordingWorkflowClient>();
        var input = Assert.IsType<BopisInput>(Assert.Single(workflows.Started).Value);
        // The stores table is shared by the collection: store 0004 (and so its time zone) is there if another test seeded the chain.
        var store = await backbone.Get<IStoreDirectory>().GetAsync("0004", CancellationToken.None);
        Assert.Equal(new BopisInput("APP-77", "c-77", "0004", input.Timings, store?.TimeZone), input);
        var order = (await backbone.Get<IOrderStore>().GetAsync("APP-77", CancellationToken.None))!.Value;
        Assert.Equal(OrderStatus.Placed, order.Status);
        Assert.Equal("0004", order.StoreId);
        Assert.Equal(10m, order.Total);
        Assert.Null(await backbone.Get<IOrderStore>().GetAsync("WEB-78", CancellationToken.None));
    }

    [Fact]
    public async Task Ingest_PickupOrderPlacedWithTheAppsDeviceOnly_IsTheSignedInCustomersOrder()
    {
        await using var backbone = await StartAsync();
        await backbone.IngestAsync([Identified("i1", 1, "c-88", "phone-88")]);

        await backbone.IngestAsync([Order("APP-88", deviceId: "phone-88"), Order("APP-89", deviceId: "guest-tablet")]);

        var started = backbone.Get<RecordingWorkflowClient>().Started.Select(start => Assert.IsType<BopisInput>(start.Value)).ToList();
        Assert.Equal([("APP-88", "c-88"), ("APP-89", "device:guest-tablet")], started.Select(input => (input.OrderId, input.CustomerId)).Order());
        Assert.Equal("c-88", (await backbone.Get<IOrderStore>().GetAsync("APP-88", CancellationToken.None))!.Value.CustomerId);
    }

    [Fact]
    public async Task Ingest_TheCustomersPhoneEntersThePickupStoresGeofenceWhileTheOrderIsReady_CountsAsArrived()
    {
        await using var backbone = await StartAsync();
        await backbone.IngestAsync([Identified("i-90", 1, "c-90", "phone-90")]);
        await backbone.IngestAsync([Order("APP-90", deviceId: "phone-90")]);
        await backbone.IngestAsync([Geofence("g-1", 3, "0004", "phone-90")]);
        var orders = backbone.Get<IOrderStore>();
        var stored = (await orders.GetAsync("APP-90", CancellationToken.None))!;
        stored.Value.Status = OrderStatus.Ready;
        stored.Value.ReadyAt = At(10);
        await orders.SaveAsync(stored.Value, stored.ETag, CancellationToken.None);
        var workflows = backbone.Get<RecordingWorkflowClient>();

        // Before the pick (delivered late), at another store, someone else's phone: no arrival.
        await backbone.IngestAsync([Geofence("g-2", 9, "0004", "phone-90"), Geofence("g-3", 11, "0002", "phone-90"), Geofence("g-4", 12, "0004", "phone-91")]);
        var before = workflows.Raised.ToArray();
        await backbone.IngestAsync([Geofence("g-5", 13, "0004", "phone-90")]);

        Assert.Equal("c-90", stored.Value.CustomerId);
        Assert.Empty(before);
        Assert.Equal([(BopisWorkflow.InstanceIdFor("APP-90"), BopisWorkflow.ArrivedEvent)], workflows.Raised.ToArray());
    }

    private Task<Backbone> StartAsync() => Backbone.StartAsync(servers, services => services
        .AddSingleton<RecordingWorkflowClient>()
        .AddSingleton<IWorkflowClient>(provider => provider.GetRequiredService<RecordingWorkflowClient>())
        .AddSingleton<IEventPublisher, RecordingEventPublisher>()
        .AddSingleton<IIngestReaction, PickupOrderReaction>()
        .AddSingleton<IIngestReaction, PickupArrivalReaction>());

    private static JsonObject Geofence(string id, int minute, string storeId, string deviceId) =>
        Event(id, "omni.geofence.entered", minute, "app", new JsonObject { ["storeid"] = storeId, ["lat"] = 40.71, ["lon"] = -74.0 }, deviceId, source: "/app/ios");

    private static JsonObject Order(string orderId, string deviceId) => Event("ev-" + orderId, "omni.order.placed", 5, "app", new JsonObject
    {
        ["orderid"] = orderId,
        ["fulfilment"] = "pickup",
        ["storeid"] = "0004",
        ["lines"] = new JsonArray(new JsonObject { ["sku"] = "SKU-Z", ["quantity"] = 1, ["price"] = "5.00" }),
    }, deviceId: deviceId, source: "/app/ios");
}
