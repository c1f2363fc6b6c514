using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using OmniChannel.Core;
using OmniChannel.Core.Ports;

namespace OmniChannel.Workflows.Clients;

/// <summary>
/// The workflow port over the Durable Task SDK's <see cref="DurableTaskClient"/>: the Functions app's adapter. The
/// isolated worker hands a client out per invocation, so the host passes how to find the current one.
/// </summary>
public sealed class SdkWorkflowClient(Func<DurableTaskClient> currentClient) : IWorkflowClient, IWorkflowPurge
{
    // Every status, as the local host's client dedupes: an order has exactly one workflow, however it ended. Without
    // dedupe statuses the backend would replace a completed, failed or terminated instance with a new one.
    private static readonly OrchestrationRuntimeStatus[] AnyStatus = [.. StartOrchestrationOptionsExtensions.ValidDedupeStatuses];

    public async Task<bool> StartAsync(string orchestrationName, string instanceId, object input, CancellationToken cancellationToken)
    {
        // Stamped with the orchestration's current version: the instance finishes on it, whatever is deployed meanwhile.
        var options = new StartOrchestrationOptions(instanceId)
        {
            Version = WorkflowVersions.Current(orchestrationName),
            Tags = WorkflowVersions.TagsFor(orchestrationName),
        }.WithDedupeStatuses(AnyStatus);
        try
        {
            // One create request, which the backend refuses if the instance exists; nothing is read first. (The Azure
            // Storage backend checks, then creates, so two starts at the same instant on two workers may still both pass.)
            await currentClient().ScheduleNewOrchestrationInstanceAsync(orchestrationName, input, options, cancellationToken);
            return true;
        }
        catch (OrchestrationAlreadyExistsException)
        {
            return false;
        }
    }

    public async Task<bool> RaiseEventAsync(string instanceId, string eventName, object? payload, CancellationToken cancellationToken)
    {
        var client = currentClient();
        var instance = await client.GetInstanceAsync(instanceId, cancellationToken);
        if (instance is null || instance.RuntimeStatus is not (OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending))
        {
            return false;
        }

        await client.RaiseEventAsync(instanceId, eventName, payload, cancellationToken);
        return true;
    }

    public async Task<WorkflowState?> GetAsync(string instanceId, CancellationToken cancellationToken)
    {
        var instance = await currentClient().GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
        return instance is null
            ? null
            : new WorkflowState(instanceId, instance.RuntimeStatus.ToString(), instance.SerializedCustomStatus, instance.LastUpdatedAt, VersionOf(instance));
    }

    public async Task<int> PurgeCompletedAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken)
    {
        // From the Unix epoch rather than open-ended: the test host's gRPC server needs a start time.
        var result = await currentClient().PurgeAllInstancesAsync(
            new PurgeInstancesFilter(CreatedFrom: DateTimeOffset.UnixEpoch, CreatedTo: createdBefore, Statuses: [OrchestrationRuntimeStatus.Completed]), cancellationToken);
        return result.PurgedInstanceCount;
    }

    /// <summary>The SDK's instance metadata has no version: the start tagged the instance with it (none before versions).</summary>
    private static string VersionOf(OrchestrationMetadata instance) =>
        instance.Tags.TryGetValue(WorkflowVersions.Tag, out var version) ? version : WorkflowVersions.Unversioned;
}
