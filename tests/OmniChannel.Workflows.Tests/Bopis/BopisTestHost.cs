using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Core.Customers;
using OmniChannel.Core.Identity;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Profiles;
using OmniChannel.TestSupport.Fakes;
using OmniChannel.Workflows.Bopis;
using OmniChannel.Workflows.Tests.Builders;
using OmniChannel.Workflows.Tests.Fakes;
using OmniChannel.Workflows.Tests.Versioning;

namespace OmniChannel.Workflows.Tests.Bopis;

/// <summary>
/// The real BOPIS orchestrator and activities on the Durable Task in-process host, with the real Core services
/// (<see cref="ReservationService"/>, <see cref="CustomerJourney"/>) over in-memory stores and recording senders.
/// </summary>
public sealed class BopisTestHost : InProcessHost
{
    private BopisTestHost()
        : base(defaultTimeout: TimeSpan.FromSeconds(20))
    {
    }

    public InMemoryOrderStore Orders { get; } = new();

    /// <summary>The orders whose refund is outstanding, as ops see them.</summary>
    public InMemoryRefundWatch RefundWatch { get; } = new();

    public InMemoryInventoryStore Inventory { get; } = new();

    public RecordingNotificationSender Notifications { get; } = new();

    public RecordingPaymentGateway Payments { get; } = new();

    public InMemoryProfileStore Profiles { get; } = new();

    public InMemoryIdentityLinkStore Links { get; } = new();

    public InMemoryInsights Insights { get; } = new();

    public static async Task<BopisTestHost> StartAsync(WorkItemRecorder? recorder = null)
    {
        var self = new BopisTestHost();
        await self.StartHostAsync(
            registry => registry.AddBopisWorkflow(),
            // The hosts register the same ports and Core services; the activities get them through their constructors.
            services =>
            {
                services.AddSingleton<IOrderStore>(self.Orders);
                services.AddSingleton<IRefundWatch>(self.RefundWatch);
                services.AddSingleton<IInventoryStore>(self.Inventory);
                services.AddSingleton<INotificationSender>(self.Notifications);
                services.AddSingleton<IPaymentGateway>(self.Payments);
                services.AddSingleton<IProfileStore>(self.Profiles);
                services.AddSingleton<IIdentityLinkStore>(self.Links);
                services.AddSingleton<ReservationService>();
                services.AddSingleton<PickService>();
                services.AddSingleton<CustomerJourney>();
                services.AddSingleton(self.Insights.Counters());
            },
            recorder);
        return self;
    }

    /// <summary>Stores the order and the customer's profile (awaiting pickup), as the API does, then starts the workflow.</summary>
    public async Task<string> StartAsync(PickupOrder order, BopisTimings timings, string? storeTimeZone = null)
    {
        await Orders.SaveAsync(order, null, CancellationToken.None);
        Profiles.Seed(new CustomerProfile
        {
            Id = IdentityKey.Customer(order.CustomerId).ToString(),
            CustomerId = order.CustomerId,
            Identities = [IdentityKey.Customer(order.CustomerId).ToString()],
            Stage = JourneyStage.AwaitingPickup,
            StageChangedAt = order.PlacedAt,
            OpenOrders = [new OpenOrder(order.Id, "pickup", order.StoreId, order.Total, order.PlacedAt)],
        });
        return await Client.ScheduleNewOrchestrationInstanceAsync(
            BopisWorkflow.OrchestrationName,
            new BopisInput(order.Id, order.CustomerId, order.StoreId, timings, storeTimeZone),
            Versioned.Start(BopisWorkflow.OrchestrationName, BopisWorkflow.InstanceIdFor(order.Id)));
    }

    public Task RaiseAsync(string instanceId, string eventName, BopisSignal? signal = null) =>
        Client.RaiseEventAsync(instanceId, eventName, signal);

    /// <summary>Polls the custom status until it matches (the workflow reports every step there).</summary>
    public Task<BopisProgress> WaitForProgressAsync(string instanceId, Func<BopisProgress, bool> reached, TimeSpan? timeout = null) =>
        WaitForCustomStatusAsync(instanceId, reached, timeout);

    public Task<BopisProgress> WaitForStatusAsync(string instanceId, OrderStatus status) =>
        WaitForProgressAsync(instanceId, progress => progress.Status == status);
}
