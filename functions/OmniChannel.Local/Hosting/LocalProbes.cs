using DurableTask.AzureStorage;
using OmniChannel.Core.Ports;
using OmniChannel.Local.EventLog;

namespace OmniChannel.Local.Hosting;

/// <summary>The local event log (the event hub's stand-in): unhealthy while a partition is so far behind that collect answers 503.</summary>
internal sealed class EventLogProbe(FileEventLog log, Microsoft.Extensions.Options.IOptions<EventLogOptions> options) : IDependencyProbe
{
    public string Name => "eventlog";

    public Task ProbeAsync(CancellationToken cancellationToken)
    {
        var behind = log.State().Where(partition => partition.Lag >= options.Value.MaxLagPerPartition).ToList();
        return behind.Count == 0
            ? Task.CompletedTask
            : throw new InvalidOperationException(
                $"Ingest is behind in {behind.Count} partition(s) ({behind.Sum(partition => partition.Lag)} events waiting); the collect API answers 503 until it catches up.");
    }
}

/// <summary>The Durable Task engine's store (its instance table in Azurite): workflows can start and be read.</summary>
internal sealed class WorkflowEngineProbe(AzureStorageOrchestrationService service) : IDependencyProbe
{
    public string Name => "workflows";

    public Task ProbeAsync(CancellationToken cancellationToken) => service.GetOrchestrationStateAsync("health-probe", allExecutions: false);
}
