namespace OmniChannel.Core.Orders;

public enum SignalOutcome
{
    Sent,
    UnknownOrder,

    /// <summary>The order belongs to another store.</summary>
    WrongStore,

    /// <summary>The order is finished (collected, expired, cancelled, rejected): nothing is waiting for this.</summary>
    Finished,
}
