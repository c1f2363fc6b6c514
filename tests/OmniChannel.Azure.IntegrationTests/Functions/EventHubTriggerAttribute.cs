// A stand-in for the Event Hubs extension's trigger attribute (same namespace, constructor and properties), so the
// trigger's source compiles in this project although its extension package cannot be restored here.
namespace Microsoft.Azure.Functions.Worker;

[AttributeUsage(AttributeTargets.Parameter)]
public sealed class EventHubTriggerAttribute(string eventHubName) : Attribute
{
    public string EventHubName { get; } = eventHubName;

    public string? Connection { get; set; }

    public string? ConsumerGroup { get; set; }

    public bool IsBatched { get; set; } = true;
}
