using System.Collections.Concurrent;
using OmniChannel.Core.Ports;

namespace OmniChannel.Azure.IntegrationTests.Fixtures;

/// <summary>Stands in for the Durable Task client where a test is about the API, not the workflow: records what would start.</summary>
public sealed class RecordingWorkflowClient : IWorkflowClient
{
    public ConcurrentDictionary<string, object> Started { get; } = new();

    public ConcurrentQueue<(string InstanceId, string EventName)> Raised { get; } = new();

    /// <summary>The payload of every raised event, in the order of <see cref="Raised"/>.</summary>
    public ConcurrentQueue<object?> Payloads { get; } = new();

    public Task<bool> StartAsync(string orchestrationName, string instanceId, object input, CancellationToken cancellationToken) =>
        Task.FromResult(Started.TryAdd(instanceId, input));

    public Task<bool> RaiseEventAsync(string instanceId, string eventName, object? payload, CancellationToken cancellationToken)
    {
        if (!Started.ContainsKey(instanceId))
        {
            return Task.FromResult(false);
        }

        Raised.Enqueue((instanceId, eventName));
        Payloads.Enqueue(payload);
        return Task.FromResult(true);
    }

    public Task<WorkflowState?> GetAsync(string instanceId, CancellationToken cancellationToken) =>
        Task.FromResult(Started.ContainsKey(instanceId) ? new WorkflowState(instanceId, "Running", null, null) : null);
}
