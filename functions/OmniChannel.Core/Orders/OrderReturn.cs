namespace OmniChannel.Core.Orders;

/// <summary>
/// Units of a collected order brought back to a store, kept on the order (<see cref="PickupOrder.Returns"/>) under the
/// id the store's till gave it: the record that makes a repeated request change nothing, and what later returns of the
/// same order are counted against.
/// </summary>
public sealed class OrderReturn
{
    public required string Id { get; set; }

    /// <summary>The store that took the units back (and whose stock they rejoin); not necessarily the order's.</summary>
    public required string StoreId { get; set; }

    /// <summary>One line per SKU, in SKU order, each with its refunded value.</summary>
    public required List<ReturnLine> Lines { get; set; }

    public string? Reason { get; set; }

    public ReturnStatus Status { get; set; }

    public int Units => Lines.Sum(line => line.Quantity);

    public decimal AmountRefunded => Lines.Sum(line => line.Amount);

    public DateTimeOffset RecordedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }
}

/// <summary>Units of one SKU returned, and what they are refunded at (what the customer paid for them).</summary>
public sealed record ReturnLine(string Sku, int Quantity, decimal Amount);

/// <summary>Where a return stands: recorded first, completed once its stock has moved and its refund was asked for.</summary>
public enum ReturnStatus
{
    /// <summary>Recorded on the order; the stock and the refund may not have happened yet (a repeat finishes them).</summary>
    Pending,

    Completed,
}
