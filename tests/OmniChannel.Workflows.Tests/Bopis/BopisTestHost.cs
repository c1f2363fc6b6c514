using System.Net;
using System.Net.Sockets;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OmniChannel.Core.Customers;
using OmniChannel.Core.Identity;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Profiles;
using OmniChannel.TestSupport.Fakes;
using OmniChannel.Workflows.Bopis;
using OmniChannel.Workflows.Tests.Builders;
using OmniChannel.Workflows.Tests.Fakes;

namespace OmniChannel.Workflows.Tests.Bopis;

/// <summary>
/// The real BOPIS orchestrator and activities on the Durable Task in-process host, with the real Core services
/// (<see cref="ReservationService"/>, <see cref="CustomerJourney"/>) over in-memory stores and recording senders.
/// </summary>
public sealed class BopisTestHost : IAsyncDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    private DurableTaskTestHost _host = null!;

    private BopisTestHost()
    {
    }

    public InMemoryOrderStore Orders { get; } = new();

    public InMemoryInventoryStore Inventory { get; } = new();

    public RecordingNotificationSender Notifications { get; } = new();

    public RecordingPaymentGateway Payments { get; } = new();

    public InMemoryProfileStore Profiles { get; } = new();

    public InMemoryIdentityLinkStore Links { get; } = new();

    public DurableTaskClient Client => _host.Client;

    public static async Task<BopisTestHost> StartAsync()
    {
        var self = new BopisTestHost();
        self._host = await StartOnFreePortAsync(port => DurableTaskTestHost.StartAsync(
            registry => registry.AddBopisWorkflow(),
            new DurableTaskTestHostOptions
            {
                Port = port,
                LoggerFactory = NullLoggerFactory.Instance,
                // The hosts register the same ports and Core services; the activities get them through their constructors.
                ConfigureServices = services =>
                {
                    services.AddSingleton<IOrderStore>(self.Orders);
                    services.AddSingleton<IInventoryStore>(self.Inventory);
                    services.AddSingleton<INotificationSender>(self.Notifications);
                    services.AddSingleton<IPaymentGateway>(self.Payments);
                    services.AddSingleton<IProfileStore>(self.Profiles);
                    services.AddSingleton<IIdentityLinkStore>(self.Links);
                    services.AddSingleton<ReservationService>();
                    services.AddSingleton<CustomerJourney>();
                },
            }));
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
            new StartOrchestrationOptions(BopisWorkflow.InstanceIdFor(order.Id)));
    }

    public Task RaiseAsync(string instanceId, string eventName, BopisSignal? signal = null) =>
        Client.RaiseEventAsync(instanceId, eventName, signal);

    /// <summary>Polls the custom status until it matches (the workflow reports every step there).</summary>
    public async Task<BopisProgress> WaitForProgressAsync(string instanceId, Func<BopisProgress, bool> reached, TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            var state = await Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellation.Token);
            var progress = state?.ReadCustomStatusAs<BopisProgress>();
            if (progress is not null && reached(progress))
            {
                return progress;
            }

            if (state is { IsCompleted: true })
            {
                throw new InvalidOperationException($"{instanceId} ended ({state.RuntimeStatus}, {state.SerializedCustomStatus}) before the awaited progress.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellation.Token);
        }
    }

    public Task<BopisProgress> WaitForStatusAsync(string instanceId, OrderStatus status) =>
        WaitForProgressAsync(instanceId, progress => progress.Status == status);

    public async Task<OrchestrationMetadata> WaitForCompletionAsync(string instanceId, TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? DefaultTimeout);
        return await Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, cancellation.Token);
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    /// <summary>
    /// The host picks a random port in 30000–40000 unless told one, which collides now and then with other test runs
    /// on the machine: ask the OS for a free port instead, and try another if it was taken meanwhile.
    /// </summary>
    private static async Task<DurableTaskTestHost> StartOnFreePortAsync(Func<int, Task<DurableTaskTestHost>> start)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await start(FreeLoopbackPort());
            }
            catch (IOException) when (attempt < 3)
            {
                // Address in use: another process took the port between the probe and the bind.
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
