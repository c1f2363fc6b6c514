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

    private Task<Backbone> StartAsync() => Backbone.StartAsync(servers, services => services
        .AddSingleton<RecordingWorkflowClient>()
        .AddSingleton<IWorkflowClient>(provider => provider.GetRequiredService<RecordingWorkflowClient>())
        .AddSingleton<IEventPublisher, RecordingEventPublisher>()
        .AddSingleton<IIngestReaction, PickupOrderReaction>());

    private static JsonObject Order(string orderId, string deviceId) => Event("ev-" + orderId, "omni.order.placed", 5, "app", new JsonObject
    {
        ["orderid"] = orderId,
        ["fulfilment"] = "pickup",
        ["storeid"] = "0004",
        ["lines"] = new JsonArray(new JsonObject { ["sku"] = "SKU-Z", ["quantity"] = 1, ["price"] = "5.00" }),
    }, deviceId: deviceId, source: "/app/ios");
}
