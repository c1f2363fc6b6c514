using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Logging.Abstractions;
using OmniChannel.Core;
using OmniChannel.Core.Ports;
using OmniChannel.LocalServers;
using OmniChannel.Workflows.Clients;

namespace OmniChannel.Workflows.Tests.Clients;

/// <summary>
/// The local host's adapter over the engine it runs on: DurableTask.Core with its Azure Storage backend on Azurite,
/// the SDK's orchestrators through the SDK's shims, as in the local host.
/// </summary>
public sealed class CoreWorkflowClientContractTests(CoreWorkflowClientContractTests.AzuriteEngine engine) : WorkflowClientContract, IClassFixture<CoreWorkflowClientContractTests.AzuriteEngine>
{
    protected override IWorkflowClient Workflows => engine.Workflows;

    protected override async Task<string?> StoredInputAsync(string instanceId) =>
        (await engine.Service.GetOrchestrationStateAsync(instanceId, allExecutions: false)).SingleOrDefault()?.Input;

    [Fact]
    public async Task Engine_AStepFailsTransientlyOnce_TheWorkflowsRetryPolicyRetriesIt()
    {
        // The local host's engine runs in DurableTask.Core's default error mode (serialise exceptions); the retry
        // policy's failure handler reads failure details, which DurableTask.Core must still record for the SDK's activities.
        var client = new TaskHubClient(engine.Service, new SdkDataConverter(), NullLoggerFactory.Instance);
        var instance = await client.CreateOrchestrationInstanceAsync(RetryProbe.Name, "", "probe-" + Guid.NewGuid().ToString("N"), "input");

        var state = await client.WaitForOrchestrationAsync(instance, TimeSpan.FromSeconds(60));

        Assert.True(state.OrchestrationStatus == OrchestrationStatus.Completed, $"{state.OrchestrationStatus}: {state.Output}");
        Assert.Equal("\"done on attempt 2\"", state.Output);
    }

    public sealed class AzuriteEngine : IAsyncLifetime
    {
        private readonly string _azuriteData = Path.Combine(Path.GetTempPath(), "omnichannel-contract-" + Guid.NewGuid().ToString("N"));
        private AzuriteServer? _azurite;
        private TaskHubWorker? _worker;

        public AzureStorageOrchestrationService Service { get; private set; } = null!;

        public IWorkflowClient Workflows { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            _azurite = await AzuriteServer.StartAsync(_azuriteData);
            Service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
            {
                TaskHubName = "contract",
                StorageAccountClientProvider = new StorageAccountClientProvider(_azurite.ConnectionString),
                MaxQueuePollingInterval = TimeSpan.FromMilliseconds(200),
                PartitionCount = 1,

                // As the local host sets it (DurableTaskEngine.CreateService): otherwise a deduplicated start returns quietly.
                ThrowExceptionOnInvalidDedupeStatus = true,
            });
            await Service.CreateIfNotExistsAsync();

            // Registered under the version the port starts instances on: DurableTask.Core finds orchestrations by name and version.
            var shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions(), NullLoggerFactory.Instance);
            _worker = new TaskHubWorker(Service, NullLoggerFactory.Instance);
            _worker.AddTaskOrchestrations(
                new CoreTaskCreator<TaskOrchestration>(Orchestration, WorkflowVersions.Current(Orchestration), () => shims.CreateOrchestration(new TaskName(Orchestration), new StandIn())),
                new CoreTaskCreator<TaskOrchestration>(RetryProbe.Name, "", () => shims.CreateOrchestration(new TaskName(RetryProbe.Name), new RetryProbe())));
            _worker.AddTaskActivities(new CoreTaskCreator<DurableTask.Core.TaskActivity>(FlakyStep.Name, "", () => shims.CreateActivity(new TaskName(FlakyStep.Name), new FlakyStep())));
            await _worker.StartAsync();
            Workflows = new CoreWorkflowClient(Service, NullLoggerFactory.Instance);
        }

        public async Task DisposeAsync()
        {
            if (_worker is not null)
            {
                await _worker.StopAsync(isForced: true);
            }

            if (_azurite is not null)
            {
                await _azurite.DisposeAsync();
            }

            try
            {
                Directory.Delete(_azuriteData, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by the stopping server: the temp folder is cleaned by the OS.
            }
        }
    }

    /// <summary>Calls <see cref="FlakyStep"/> under the BOPIS workflow's retry policy.</summary>
    private sealed class RetryProbe : TaskOrchestrator<string, string>
    {
        public const string Name = "ContractRetryProbe";

        public override Task<string> RunAsync(TaskOrchestrationContext context, string input) =>
            context.CallActivityAsync<string>(FlakyStep.Name, context.InstanceId, OmniChannel.Workflows.Bopis.BopisRetry.Options);
    }

    /// <summary>Throttled on its first attempt for an instance, done on the next.</summary>
    private sealed class FlakyStep : Microsoft.DurableTask.TaskActivity<string, string>
    {
        public const string Name = "ContractFlakyStep";

        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> Attempts = new();

        public override Task<string> RunAsync(TaskActivityContext context, string input)
        {
            var attempt = Attempts.AddOrUpdate(input, 1, (_, previous) => previous + 1);
            return attempt == 1
                ? throw new TransientStorageException("429 Too Many Requests", TimeSpan.FromSeconds(1), new IOException("throttled"))
                : Task.FromResult($"done on attempt {attempt}");
        }
    }
}
