namespace OmniChannel.Core.Orders;

/// <summary>What a store's return of an online order came to.</summary>
public abstract record ReturnOutcome
{
    /// <summary>The units are back on hand at the store and refunded (now, or by the earlier request under this id).</summary>
    /// <param name="CustomerId">The order's customer, whose 360 shows the return.</param>
    public sealed record Returned(string OrderId, OrderReturn Return, string CustomerId) : ReturnOutcome;

    public sealed record UnknownStore(string StoreId) : ReturnOutcome;

    public sealed record UnknownOrder(string OrderId) : ReturnOutcome;

    /// <summary>Only a collected order's units can come back; this one is elsewhere.</summary>
    public sealed record NotCollected(string OrderId, OrderStatus Status) : ReturnOutcome;

    /// <summary>Lines that return more than the order had less its earlier returns.</summary>
    public sealed record TooMany(string OrderId, IReadOnlyList<ReturnExcess> Excess) : ReturnOutcome;

    /// <summary>The return id is taken by a different return of the order (other store or lines).</summary>
    public sealed record IdTaken(string OrderId, string ReturnId) : ReturnOutcome;
}

/// <summary>A SKU asked back beyond what is returnable: bought, less the units returned before.</summary>
public sealed record ReturnExcess(string Sku, int Requested, int Returnable);

/// <summary>A return as the store asks for it: lines of SKU and units.</summary>
public sealed record ReturnRequest(string ReturnId, string OrderId, IReadOnlyList<ReturnRequestLine> Lines, string? Reason);

public sealed record ReturnRequestLine(string Sku, int Quantity);
