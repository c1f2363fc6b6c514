using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Prices;
using OmniChannel.Core.Stores;
using OmniChannel.TestSupport.Fakes;
using OmniChannel.Workflows.Prices;
using OmniChannel.Workflows.Tests.Versioning;

namespace OmniChannel.Workflows.Tests.Prices;

/// <summary>
/// The real price fan-out orchestrator and activities on the Durable Task in-process host, with the real
/// <see cref="PriceDeliverer"/> (and <see cref="PriceService"/> for submissions and retries) over in-memory stores and
/// a scripted delivery channel.
/// </summary>
public sealed class PriceTestHost : InProcessHost
{
    private PriceTestHost()
        : base(defaultTimeout: TimeSpan.FromSeconds(30))
    {
    }

    public InMemoryPriceStore Prices { get; } = new();

    public InMemorySubscriberRegistry Registry { get; } = new();

    public InMemorySubscriberSecretStore Secrets { get; } = new();

    public InMemoryDeliveryLedger Ledger { get; } = new();

    public InMemoryStoreDirectory Stores { get; } = new();

    public ScriptedPriceChannel Channel { get; } = new();

    public InMemoryInsights Insights { get; } = new();

    /// <summary>No wait between attempts inside a batch, 100 ms between rounds: the retries are under test, not the waiting.</summary>
    public PriceFanOutOptions Options { get; } = new()
    {
        AttemptBackOff = TimeSpan.Zero,
        RoundBackOff = TimeSpan.FromMilliseconds(100),
        BatchSize = 50,
        AttemptsPerRound = 3,
        Rounds = 4,
    };

    /// <summary>Submissions and retries as the API makes them, starting instances on this host.</summary>
    public PriceService Service => new(Prices, Stores, Ledger, new TestWorkflowClient(Client), Options);

    public static async Task<PriceTestHost> StartAsync(WorkItemRecorder? recorder = null)
    {
        var self = new PriceTestHost();
        await self.StartHostAsync(
            registry => registry.AddPriceWorkflow(),
            services =>
            {
                services.AddSingleton<IPriceStore>(self.Prices);
                services.AddSingleton<ISubscriberRegistry>(self.Registry);
                services.AddSingleton<ISubscriberSecretStore>(self.Secrets);
                services.AddSingleton<IDeliveryLedger>(self.Ledger);
                services.AddSingleton<IStoreDirectory>(self.Stores);
                services.AddSingleton<IPriceDeliveryChannel>(self.Channel);
                services.AddSingleton(self.Options);
                services.AddSingleton(TimeProvider.System);
                services.AddSingleton<ILogger<PriceDeliverer>>(NullLogger<PriceDeliverer>.Instance);
                services.AddSingleton(self.Insights.Counters());
                services.AddSingleton<PriceDeliverer>();
            },
            recorder);
        return self;
    }

    /// <summary>Registers the subscribers, each with its own signing secret.</summary>
    public async Task AddSubscribersAsync(IReadOnlyCollection<PriceSubscriber> subscribers)
    {
        await Registry.UpsertAsync(subscribers, CancellationToken.None);
        foreach (var subscriber in subscribers)
        {
            await Secrets.SetAsync(subscriber.Id, "whsec_" + subscriber.Id, CancellationToken.None);
        }
    }

    /// <summary>Stores the change as accepted (status Delivering) and starts run 1 of its fan-out with <paramref name="input"/>.</summary>
    public async Task<string> StartFanOutAsync(PriceChange change, PriceFanOutInput input)
    {
        await Prices.SaveChangeAsync(change, null, CancellationToken.None);
        return await Client.ScheduleNewOrchestrationInstanceAsync(
            PriceFanOut.OrchestrationName, input, Versioned.Start(PriceFanOut.OrchestrationName, PriceFanOut.InstanceIdFor(change.Id, input.Run)));
    }

    public async Task<IReadOnlyList<SubscriberDelivery>> RowsAsync(string changeId) => await Ledger.ListAsync(changeId, CancellationToken.None);

    /// <summary>The hosts' <see cref="IWorkflowClient"/> over the test host's client: starts an instance unless one with the id exists.</summary>
    private sealed class TestWorkflowClient(DurableTaskClient client) : IWorkflowClient
    {
        public async Task<bool> StartAsync(string orchestrationName, string instanceId, object input, CancellationToken cancellationToken)
        {
            if (await client.GetInstanceAsync(instanceId, cancellationToken) is not null)
            {
                return false;
            }

            await client.ScheduleNewOrchestrationInstanceAsync(orchestrationName, input, Versioned.Start(orchestrationName, instanceId), cancellationToken);
            return true;
        }

        public async Task<bool> RaiseEventAsync(string instanceId, string eventName, object? payload, CancellationToken cancellationToken)
        {
            await client.RaiseEventAsync(instanceId, eventName, payload, cancellationToken);
            return true;
        }

        public async Task<WorkflowState?> GetAsync(string instanceId, CancellationToken cancellationToken)
        {
            var state = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
            return state is null ? null : new WorkflowState(instanceId, state.RuntimeStatus.ToString(), state.SerializedCustomStatus, state.LastUpdatedAt);
        }
    }
}
