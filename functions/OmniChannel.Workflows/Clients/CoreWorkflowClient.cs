using DurableTask.Core;
using DurableTask.Core.Exceptions;
using Microsoft.Extensions.Logging;
using OmniChannel.Core;
using OmniChannel.Core.Ports;

namespace OmniChannel.Workflows.Clients;

/// <summary>
/// The workflow port over DurableTask.Core's <see cref="TaskHubClient"/>: the local host's adapter (the Durable Task
/// Framework on Azurite), serialising with the same System.Text.Json converter the SDK's orchestrators deserialise with.
/// Same answers as <see cref="SdkWorkflowClient"/>; the contract tests run both.
/// </summary>
public sealed class CoreWorkflowClient(IOrchestrationServiceClient service, ILoggerFactory loggerFactory) : IWorkflowClient, IWorkflowPurge
{
    private readonly TaskHubClient _client = new(service, new SdkDataConverter(), loggerFactory);

    // Every status: an order has exactly one workflow, however it ended.
    private static readonly OrchestrationStatus[] AnyStatus = Enum.GetValues<OrchestrationStatus>();

    // The Azure Storage backend checks for the instance, then queues the start message, then inserts the instance row
    // and ignores a conflict there: two starts racing for one order (the orders API and ingest) both pass the check and
    // both return. The local host is one process with this one client, so starts of one instance id take turns here
    // (striped by id); the check then sees the instance the other start created. The backend must throw on a
    // deduplicated start (AzureStorageOrchestrationServiceSettings.ThrowExceptionOnInvalidDedupeStatus, which the
    // local host sets), or it returns quietly and the start would count as started.
    private readonly SemaphoreSlim[] _startTurns = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    public async Task<bool> StartAsync(string orchestrationName, string instanceId, object input, CancellationToken cancellationToken)
    {
        var turn = _startTurns[(int)((uint)StringComparer.Ordinal.GetHashCode(instanceId) % (uint)_startTurns.Length)];
        await turn.WaitAsync(cancellationToken);
        try
        {
            // Stamped with the orchestration's current version: the instance finishes on it, whatever is deployed meanwhile.
            await _client.CreateOrchestrationInstanceAsync(
                orchestrationName, WorkflowVersions.Current(orchestrationName), instanceId, input, WorkflowVersions.TagsFor(orchestrationName), dedupeStatuses: AnyStatus);
            return true;
        }
        catch (OrchestrationAlreadyExistsException)
        {
            return false;
        }
        finally
        {
            turn.Release();
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
            : new WorkflowState(instanceId, state.OrchestrationStatus.ToString(), state.Status, state.LastUpdatedTime, state.Version ?? WorkflowVersions.Unversioned);
    }

    public async Task<int> PurgeCompletedAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken)
    {
        if (service is not IOrchestrationServicePurgeClient purge)
        {
            throw new NotSupportedException($"The workflow engine's backend ({service.GetType().Name}) cannot purge instances.");
        }

        var result = await purge.PurgeInstanceStateAsync(new PurgeInstanceFilter(DateTime.UnixEpoch, createdBefore.UtcDateTime, [OrchestrationStatus.Completed]));
        return result.DeletedInstanceCount;
    }
}
