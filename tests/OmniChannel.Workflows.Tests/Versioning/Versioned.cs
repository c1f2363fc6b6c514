using Microsoft.DurableTask;
using OmniChannel.Core;

namespace OmniChannel.Workflows.Tests.Versioning;

/// <summary>Starts test instances as both hosts' workflow clients do: on the orchestration's current version, tagged with it.</summary>
public static class Versioned
{
    public static StartOrchestrationOptions Start(string orchestrationName, string instanceId) => new(instanceId)
    {
        Version = WorkflowVersions.Current(orchestrationName),
        Tags = WorkflowVersions.TagsFor(orchestrationName),
    };
}
