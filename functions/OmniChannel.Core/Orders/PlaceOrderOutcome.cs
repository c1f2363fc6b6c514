namespace OmniChannel.Core.Orders;

/// <summary>What placing a pickup order came to.</summary>
public abstract record PlaceOrderOutcome
{
    /// <summary>Stock is held and the workflow runs (or ran: a repeated request finds the order it placed before).</summary>
    public sealed record Placed(PickupOrder Order, bool Repeated) : PlaceOrderOutcome;

    public sealed record UnknownStore(string StoreId) : PlaceOrderOutcome;

    public sealed record StoreWithoutPickup(string StoreId, string Name) : PlaceOrderOutcome;

    /// <summary>The store cannot hold every line; these nearby stores can.</summary>
    public sealed record OutOfStock(string StoreId, IReadOnlyList<StockShortage> Shortages, IReadOnlyList<AlternativeStore> Alternatives) : PlaceOrderOutcome;

    /// <summary>The order id is taken by a different order (other customer, store or lines).</summary>
    public sealed record IdTaken(string OrderId) : PlaceOrderOutcome;
}
