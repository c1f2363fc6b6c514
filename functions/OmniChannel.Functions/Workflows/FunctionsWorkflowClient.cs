using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using OmniChannel.Core;
using OmniChannel.Core.Ports;

namespace OmniChannel.Functions.Workflows;

/// <summary>
/// The workflow client of the Functions app. The isolated worker hands out a <see cref="DurableTaskClient"/> only as a
/// function binding, so each function that may start or signal a workflow binds one and lends it to this adapter for
/// the duration of its invocation (<see cref="Use"/>); the core's services stay host-agnostic singletons.
/// </summary>
public sealed class FunctionsWorkflowClient : IWorkflowClient
{
    private static readonly AsyncLocal<DurableTaskClient?> Current = new();

    /// <summary>Makes <paramref name="client"/> the one this invocation's workflow calls use.</summary>
    public static IDisposable Use(DurableTaskClient client)
    {
        Current.Value = client;
        return new Lease();
    }

    public async Task<bool> StartAsync(string orchestrationName, string instanceId, object input, CancellationToken cancellationToken)
    {
        var client = Client;
        if (await client.GetInstanceAsync(instanceId, cancellationToken) is not null)
        {
            return false;
        }

        try
        {
            // Stamped with the orchestration's current version: the instance finishes on it, whatever is deployed meanwhile.
            var options = new StartOrchestrationOptions(instanceId)
            {
                Version = WorkflowVersions.Current(orchestrationName),
                Tags = WorkflowVersions.TagsFor(orchestrationName),
            };
            await client.ScheduleNewOrchestrationInstanceAsync(orchestrationName, input, options, cancellationToken);
            return true;
        }
        catch (Exception)
        {
            // Two requests for the same order at once: the other one started it. Anything else is a real failure.
            if (await client.GetInstanceAsync(instanceId, cancellationToken) is not null)
            {
                return false;
            }

            throw;
        }
    }

    public async Task<bool> RaiseEventAsync(string instanceId, string eventName, object? payload, CancellationToken cancellationToken)
    {
        var instance = await Client.GetInstanceAsync(instanceId, cancellationToken);
        if (instance is null || instance.IsCompleted)
        {
            return false;
        }

        await Client.RaiseEventAsync(instanceId, eventName, payload, cancellationToken);
        return true;
    }

    public async Task<WorkflowState?> GetAsync(string instanceId, CancellationToken cancellationToken)
    {
        var instance = await Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
        return instance is null
            ? null
            : new WorkflowState(instanceId, instance.RuntimeStatus.ToString(), instance.SerializedCustomStatus, instance.LastUpdatedAt, VersionOf(instance));
    }

    /// <summary>The SDK's instance metadata has no version: the start tagged the instance with it (none before versions).</summary>
    private static string VersionOf(OrchestrationMetadata instance) =>
        instance.Tags.TryGetValue(WorkflowVersions.Tag, out var version) ? version : WorkflowVersions.Unversioned;

    private static DurableTaskClient Client =>
        Current.Value ?? throw new InvalidOperationException("No Durable Task client is bound to this invocation: add a [DurableClient] parameter and call FunctionsWorkflowClient.Use.");

    private sealed class Lease : IDisposable
    {
        public void Dispose() => Current.Value = null;
    }
}
