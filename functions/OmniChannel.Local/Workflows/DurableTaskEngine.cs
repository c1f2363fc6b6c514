using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using OmniChannel.Core;
using OmniChannel.Local.Hosting;
using OmniChannel.Workflows;

namespace OmniChannel.Local.Workflows;

/// <summary>
/// Runs the workflows library's orchestrations in the local host on the Durable Task Framework with its Azure Storage
/// backend on Azurite: instance state, history and timers live in Azurite's queues, tables and blobs, so an order in
/// flight survives a restart of the host. The orchestrators and activities are the official SDK's classes
/// (<c>TaskOrchestrator</c>/<c>TaskActivity</c>) run through the SDK's own shims, unchanged from the Functions app.
/// </summary>
public sealed partial class DurableTaskEngine(
    AzureStorageOrchestrationService service,
    WorkflowCatalog catalog,
    IServiceProvider services,
    ILoggerFactory loggerFactory,
    LocalServerSet servers) : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan StorageCheckInterval = TimeSpan.FromSeconds(1);

    private TaskHubWorker? _worker;

    public static AzureStorageOrchestrationService CreateService(string storageConnectionString, ILoggerFactory loggerFactory) =>
        new(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = OmniChannelNames.TaskHub,
            StorageAccountClientProvider = new StorageAccountClientProvider(storageConnectionString),

            // Azurite answers at once; a short polling ceiling keeps timers and events snappy on an idle machine.
            MaxQueuePollingInterval = TimeSpan.FromMilliseconds(500),
            PartitionCount = 4,

            // A message the stopping host had already fetched stays invisible this long before the restarted host can
            // take it (the graceful stop does not hand it back). The 5-minute default would stall such orders for
            // minutes after every restart; a redelivery while a message still waits in memory is deduplicated by DTFx.
            ControlQueueVisibilityTimeout = TimeSpan.FromMinutes(1),

            // The same for activities: a step (say a batch of price deliveries) taken by a host that stopped is run
            // again after a minute rather than five. Activities here are idempotent, so a second run is harmless.
            WorkItemQueueVisibilityTimeout = TimeSpan.FromMinutes(1),
            LoggerFactory = new StorageOutageLoggerFactory(loggerFactory),

            // A start of an instance that exists throws (the workflow client answers "already started"); by default the
            // backend returns quietly and the caller cannot tell it started nothing.
            ThrowExceptionOnInvalidDedupeStatus = true,
        });

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await service.CreateIfNotExistsAsync();
        var shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions(), loggerFactory);
        _worker = new TaskHubWorker(service, new StorageOutageLoggerFactory(loggerFactory));

        // DurableTask.Core finds an orchestration by the name and version its instance started with, and an activity by
        // the version it was called with, which the SDK's context takes from the calling instance. One orchestrator
        // class runs every version of its orchestration still in flight (it branches on context.Version), so each is
        // registered under all of them, the unversioned instances from before versions included; activities likewise.
        _worker.AddTaskOrchestrations(catalog.Orchestrators
            .SelectMany(entry => WorkflowVersions.Versions(entry.Name).Select(version => (entry.Name, entry.Type, Version: version)))
            .Select(entry => (ObjectCreator<TaskOrchestration>)new CoreTaskCreator<TaskOrchestration>(
                entry.Name, entry.Version, () => shims.CreateOrchestration(new TaskName(entry.Name), (ITaskOrchestrator)ActivatorUtilities.CreateInstance(services, entry.Type))))
            .ToArray());
        _worker.AddTaskActivities(catalog.Activities
            .SelectMany(entry => WorkflowVersions.All.Select(version => (entry.Name, entry.Type, Version: version)))
            .Select(entry => (ObjectCreator<DurableTask.Core.TaskActivity>)new CoreTaskCreator<DurableTask.Core.TaskActivity>(
                entry.Name, entry.Version, () => shims.CreateActivity(new TaskName(entry.Name), (ITaskActivity)ActivatorUtilities.CreateInstance(services, entry.Type))))
            .ToArray());
        await _worker.StartAsync();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var worker = Interlocked.Exchange(ref _worker, null);
        if (worker is null)
        {
            return;
        }

        // Graceful: the steps in flight finish and record their results and the partition leases are released,
        // so a restarted host resumes at once instead of waiting out message visibility and lease timeouts. Without
        // storage that never ends (the engine retries its partition table): it is left once storage stops
        // accepting connections, or when the host's shutdown timeout is up.
        var stopping = worker.StopAsync(isForced: false);
        while (!stopping.IsCompleted)
        {
            if (await Task.WhenAny(stopping, Task.Delay(StorageCheckInterval, cancellationToken)) == stopping)
            {
                break;
            }

            if (cancellationToken.IsCancellationRequested || !await servers.StorageListeningAsync())
            {
                LogStopAbandoned(loggerFactory.CreateLogger<DurableTaskEngine>(), cancellationToken.IsCancellationRequested ? "the shutdown timeout is up" : "storage does not accept connections");
                return;
            }
        }

        await stopping;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await StopAsync(timeout.Token);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping without waiting for the Durable Task engine ({Reason}); the next start takes up the work it held after its queue visibility timeout")]
    private static partial void LogStopAbandoned(ILogger logger, string reason);
}
