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
}

/// <summary>What became of a store's or customer's action, with the status the order had when it was read.</summary>
public sealed record SignalResult(SignalOutcome Outcome, OrderStatus? Status = null);
