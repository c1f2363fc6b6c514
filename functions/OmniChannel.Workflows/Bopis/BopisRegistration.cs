using Microsoft.DurableTask;

namespace OmniChannel.Workflows.Bopis;

/// <summary>
/// The BOPIS workflow's orchestrator and activities, listed once for every host. A task's registered name is its
/// class name (each class also has it as <c>Name</c>), so hosts register <c>(type.Name, type)</c> pairs: the Durable
/// Task registry with <see cref="AddBopisWorkflow"/>, the Functions app as function-based wrappers, the local host as
/// Durable Task Framework shims. Activities take their services through their constructors (create them with the
/// host's service provider).
/// </summary>
public static class BopisRegistration
{
    public static Type Orchestrator { get; } = typeof(BopisFulfillment);

    public static IReadOnlyList<Type> Activities { get; } =
    [
        typeof(ReserveOrderStock),
        typeof(SetOrderStatus),
        typeof(NotifyStore),
        typeof(NotifyCustomer),
        typeof(ReleaseOrderStock),
        typeof(HandOverOrderStock),
        typeof(RefundOrder),
        typeof(RecordJourney),
        typeof(RecordOrderPick),
    ];

    /// <summary>The name a task type is registered and called by.</summary>
    public static string NameOf(Type taskType)
    {
        ArgumentNullException.ThrowIfNull(taskType);
        return taskType.Name;
    }

    /// <summary>Registers the orchestrator and every activity; the activities are created from the host's services.</summary>
    public static DurableTaskRegistry AddBopisWorkflow(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddOrchestrator(NameOf(Orchestrator), Orchestrator);
        foreach (var activity in Activities)
        {
            registry.AddActivity(NameOf(activity), activity);
        }

        return registry;
    }
}
