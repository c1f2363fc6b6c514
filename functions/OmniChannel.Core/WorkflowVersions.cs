using OmniChannel.Core.Orders;
using OmniChannel.Core.Prices;
using OmniChannel.Core.Remarketing;

namespace OmniChannel.Core;

/// <summary>
/// The versions of the durable orchestrations. Every new instance is started on its orchestration's current version
/// (both hosts' workflow clients stamp it, with a tag ops can read back); the engine keeps that version with the
/// instance for life, and the orchestrator reads it back as <c>context.Version</c>, so an instance in flight finishes on
/// the steps of the version it started with however long it waits. The rule for changing a workflow: README
/// "Changing a workflow safely".
/// </summary>
public static class WorkflowVersions
{
    /// <summary>The version of instances started before orchestrations had one; they run as version 1.0 (the SDK compares an empty version as older than any).</summary>
    public const string Unversioned = "";

    /// <summary>The instance tag that carries the version to the status views (the SDK's instance metadata has no version).</summary>
    public const string Tag = "workflowVersion";

    // Oldest first; the last is the version new instances start on. A version stays listed while instances of it may
    // still be in flight: the code keeps its branches and the replay tests keep its recorded histories.
    private static readonly Dictionary<string, string[]> Running = new(StringComparer.Ordinal)
    {
        [BopisWorkflow.OrchestrationName] = [Unversioned, BopisWorkflow.Version],
        [PriceFanOut.OrchestrationName] = [Unversioned, PriceFanOut.Version],
        [RemarketingWorkflow.OrchestrationName] = [Unversioned, RemarketingWorkflow.FirstVersion, RemarketingWorkflow.SendTimeChecksVersion, RemarketingWorkflow.DwellVersion],
    };

    public static IReadOnlyCollection<string> Orchestrations => Running.Keys;

    /// <summary>The version new instances of the orchestration start on.</summary>
    public static string Current(string orchestrationName) => Versions(orchestrationName)[^1];

    /// <summary>Every version whose instances the code still runs, oldest first (<see cref="Unversioned"/> first).</summary>
    public static IReadOnlyList<string> Versions(string orchestrationName) =>
        Running.TryGetValue(orchestrationName, out var versions)
            ? versions
            : throw new ArgumentOutOfRangeException(nameof(orchestrationName), orchestrationName, "Not a versioned orchestration: list it in WorkflowVersions.");

    /// <summary>Every version any orchestration still runs (the local engine registers each task under each).</summary>
    public static IReadOnlyList<string> All => Running.Values.SelectMany(versions => versions).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The tags a new instance starts with: its version, for the status views.</summary>
    public static Dictionary<string, string> TagsFor(string orchestrationName) =>
        new Dictionary<string, string>(StringComparer.Ordinal) { [Tag] = Current(orchestrationName) };
}
