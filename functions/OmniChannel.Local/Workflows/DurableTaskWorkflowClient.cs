using DurableTask.AzureStorage;
using DurableTask.Core;
using DurableTask.Core.Exceptions;
using OmniChannel.Core.Ports;

namespace OmniChannel.Local.Workflows;

/// <summary>
/// The workflow client of the local host: DurableTask.Core's <see cref="TaskHubClient"/>, serialising with the same
/// System.Text.Json converter the SDK's orchestrators deserialise with.
/// </summary>
public sealed class DurableTaskWorkflowClient(AzureStorageOrchestrationService service, ILoggerFactory loggerFactory) : IWorkflowClient
{
    private readonly TaskHubClient _client = new(service, new SdkDataConverter(), loggerFactory);

    public async Task<bool> StartAsync(string orchestrationName, string instanceId, object input, CancellationToken cancellationToken)
    {
        if (await _client.GetOrchestrationStateAsync(instanceId) is not null)
        {
            return false;
        }

        try
        {
            await _client.CreateOrchestrationInstanceAsync(orchestrationName, string.Empty, instanceId, input);
            return true;
        }
        catch (OrchestrationAlreadyExistsException)
        {
            // Two requests for the same order at once: the other one started it.
            return false;
        }
    }

    public async Task<bool> RaiseEventAsync(string instanceId, string eventName, object? payload, CancellationToken cancellationToken)
    {
        var state = await _client.GetOrchestrationStateAsync(instanceId);
        if (state is null || state.OrchestrationStatus is not (OrchestrationStatus.Running or OrchestrationStatus.Pending))
        {
            return false;
        }

        await _client.RaiseEventAsync(state.OrchestrationInstance, eventName, payload!);
        return true;
    }

    public async Task<WorkflowState?> GetAsync(string instanceId, CancellationToken cancellationToken)
    {
        var state = await _client.GetOrchestrationStateAsync(instanceId);
        return state is null
            ? null
            : new WorkflowState(instanceId, state.OrchestrationStatus.ToString(), state.Status, state.LastUpdatedTime);
    }
}
