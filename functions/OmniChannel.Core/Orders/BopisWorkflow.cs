namespace OmniChannel.Core.Orders;

/// <summary>Names shared by the BOPIS orchestration, both hosts and the API.</summary>
public static class BopisWorkflow
{
    public const string OrchestrationName = "BopisFulfillment";

    /// <summary>
    /// The version new instances start on (<see cref="WorkflowVersions"/>); raise it for a change of the steps. Major.minor,
    /// so the SDK compares versions as numbers ("10.0" after "9.0"), not as text.
    /// </summary>
    public const string Version = "1.0";

    public const string PickedEvent = "picked";
    public const string CollectedEvent = "collected";
    public const string CancelledEvent = "cancelled";
    public const string ArrivedEvent = "arrived";

    /// <summary>The payment service confirmed or refused a refund (its signed callback), raised with a <see cref="RefundSettlement"/>.</summary>
    public const string RefundSettledEvent = "refund-settled";

    /// <summary>
    /// Not an event of its own: a <see cref="PickedEvent"/> whose lines have units short or substituted. The store may do it
    /// only before the order is ready — once the customer was told what is waiting, the pick cannot change.
    /// </summary>
    public const string PartialPickAction = "picked-partial";

    /// <summary>
    /// The order's state machine, shared by the API (which answers 409 for anything else) and the orchestrator (which
    /// ignores an event the state does not allow, because the API's read of the status can race the workflow):
    /// <c>picked</c> before the store has picked (placed, reserved; again when ready: a retry, it changes nothing);
    /// <c>collected</c> only once picked (ready); the customer's <c>cancelled</c> only before the store has picked
    /// (placed, reserved) — once ready, the order ends by collection or expiry; the customer's <c>arrived</c> ("I'm here")
    /// only once picked (ready): the store is told, the order waits on for <c>collected</c>; a partial pick
    /// (<see cref="PartialPickAction"/>) only before the store has picked (placed, reserved). A finished order allows nothing.
    /// </summary>
    public static bool Allows(OrderStatus status, string eventName) => (eventName, status) switch
    {
        (PickedEvent, OrderStatus.Placed or OrderStatus.Reserved or OrderStatus.Ready) => true,
        (CollectedEvent, OrderStatus.Ready) => true,
        (CancelledEvent, OrderStatus.Placed or OrderStatus.Reserved) => true,
        (ArrivedEvent, OrderStatus.Ready) => true,
        (PartialPickAction, OrderStatus.Placed or OrderStatus.Reserved) => true,
        _ => false,
    };

    /// <summary>One instance per order: a repeated request or redelivered event starts nothing new.</summary>
    public static string InstanceIdFor(string orderId) => "bopis-" + orderId;
}
