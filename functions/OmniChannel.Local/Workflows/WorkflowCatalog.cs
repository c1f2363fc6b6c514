using OmniChannel.Workflows.Bopis;
using OmniChannel.Workflows.Prices;
using OmniChannel.Workflows.Remarketing;

namespace OmniChannel.Local.Workflows;

/// <summary>The orchestrators and activities the local engine runs, by name (the names the Functions app registers too).</summary>
public sealed record WorkflowCatalog(IReadOnlyList<(string Name, Type Type)> Orchestrators, IReadOnlyList<(string Name, Type Type)> Activities)
{
    /// <summary>Every workflow of the workflows library: BOPIS fulfilment, price fan-out, proximity remarketing.</summary>
    public static WorkflowCatalog All { get; } = new(
        [(BopisRegistration.Orchestrator.Name, BopisRegistration.Orchestrator), (PriceRegistration.Orchestrator.Name, PriceRegistration.Orchestrator),
            (RemarketingRegistration.Orchestrator.Name, RemarketingRegistration.Orchestrator)],
        BopisRegistration.Activities.Concat(PriceRegistration.Activities).Concat(RemarketingRegistration.Activities).Select(activity => (activity.Name, activity)).ToList());
}
