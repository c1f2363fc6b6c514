namespace OmniChannel.Core.Ports;

/// <summary>
/// Starts, signals and reads durable orchestrations; one adapter per host (the Durable Task client in Azure, the
/// Durable Task Framework's client in the local host).
/// </summary>
public interface IWorkflowClient
{
    /// <summary>Starts the orchestration unless an instance with this id exists; answers whether it started one.</summary>
    Task<bool> StartAsync(string orchestrationName, string instanceId, object input, CancellationToken cancellationToken);

    /// <summary>Raises an event to a running instance; answers false when no such instance exists.</summary>
    Task<bool> RaiseEventAsync(string instanceId, string eventName, object? payload, CancellationToken cancellationToken);

    Task<WorkflowState?> GetAsync(string instanceId, CancellationToken cancellationToken);
}
