namespace OmniChannel.Core.Orders;

/// <summary>Names shared by the BOPIS orchestration, both hosts and the API.</summary>
public static class BopisWorkflow
{
    public const string OrchestrationName = "BopisFulfillment";

    public const string PickedEvent = "picked";
    public const string CollectedEvent = "collected";
    public const string CancelledEvent = "cancelled";

    /// <summary>One instance per order: a repeated request or redelivered event starts nothing new.</summary>
    public static string InstanceIdFor(string orderId) => "bopis-" + orderId;
}
