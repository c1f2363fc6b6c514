namespace OmniChannel.Core.Orders;

/// <summary>Whether every line of an order is now held at the store; if not, nothing is held and the shortages say why.</summary>
public sealed record ReservationResult(bool Reserved, IReadOnlyList<StockShortage> Shortages)
{
    public static ReservationResult Success { get; } = new(true, []);
}
