using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using OmniChannel.Core.Ports;
using OmniChannel.Workflows.Clients;

namespace OmniChannel.Workflows.Tests.Clients;

/// <summary>
/// The Functions app's adapter over a real <see cref="Microsoft.DurableTask.Client.DurableTaskClient"/>: the SDK's gRPC
/// client against the in-process test host, whose backend honours the start request's dedupe statuses (its
/// in-memory service refuses a create for an instance in one of them, under a lock).
/// </summary>
public sealed class SdkWorkflowClientContractTests(SdkWorkflowClientContractTests.TestHostEngine engine) : WorkflowClientContract, IClassFixture<SdkWorkflowClientContractTests.TestHostEngine>
{
    protected override IWorkflowClient Workflows => engine.Workflows;

    protected override async Task<string?> StoredInputAsync(string instanceId) =>
        (await engine.Host.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true))?.SerializedInput;

    public sealed class TestHostEngine : IAsyncLifetime
    {
        public DurableTaskTestHost Host { get; private set; } = null!;

        public IWorkflowClient Workflows { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Host = await InProcessHost.StartOnFreePortAsync(port => DurableTaskTestHost.StartAsync(
                registry => registry.AddOrchestrator(Orchestration, typeof(StandIn)),
                new DurableTaskTestHostOptions { Port = port, LoggerFactory = NullLoggerFactory.Instance }));
            Workflows = new SdkWorkflowClient(() => Host.Client);
        }

        public async Task DisposeAsync() => await Host.DisposeAsync();
    }
}
