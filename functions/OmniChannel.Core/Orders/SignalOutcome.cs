namespace OmniChannel.Core.Orders;

public enum SignalOutcome
{
    Sent,
    UnknownOrder,

    /// <summary>The order belongs to another store.</summary>
    WrongStore,

    /// <summary>The order is finished (collected, expired, cancelled, rejected): nothing is waiting for this.</summary>
    Finished,

    /// <summary>
    /// The order's state does not allow the action (<see cref="BopisWorkflow.Allows"/>): collected before the store
    /// has picked it, or cancelled once it has. Nothing was sent.
    /// </summary>
    NotAllowed,

    /// <summary>The action's details are wrong for the order (a partial pick naming a SKU it does not have…); nothing was sent.</summary>
    Invalid,
}

/// <summary>What became of a store's or customer's action, with the status the order had when it was read.</summary>
/// <param name="Errors">For <see cref="SignalOutcome.Invalid"/>: every bad field.</param>
public sealed record SignalResult(SignalOutcome Outcome, OrderStatus? Status = null, IReadOnlyList<Events.FieldError>? Errors = null);

/// <summary>
/// The payload of a <c>picked</c> event with a partial pick: the lines not picked in full. Its shape is the workflow's
/// signal's (same property names), which reads it; a <c>picked</c> without payload is a full pick.
/// </summary>
public sealed record PickedSignal(string? Reason, IReadOnlyList<PickedLine> Lines);
