namespace OmniChannel.Simulation.Bopis;

/// <summary>
/// What each <see cref="BopisOutcome"/> orders, and where the backbone should leave it: the one place the run's
/// reconciliation takes its expected states, stock movements and refunds from.
/// </summary>
public static class BopisExpectations
{
    /// <summary>Units a short order asks for; every other order asks for one.</summary>
    public const int ShortOrderUnits = 2;

    /// <summary>Units a short order's pick leaves out.</summary>
    public const int ShortUnits = 1;

    /// <summary>The outcome as the command line and the report name it: collected, short, unpicked, no-show.</summary>
    public static string Name(BopisOutcome outcome) => outcome == BopisOutcome.NoShow ? "no-show" : outcome.ToString().ToLowerInvariant();

    /// <summary>Units of the run's SKU the order asks for.</summary>
    public static int UnitsOrdered(BopisOutcome outcome) => outcome == BopisOutcome.Short ? ShortOrderUnits : 1;

    /// <summary>Units the store's pick leaves out (ordered − picked − substituted).</summary>
    public static int UnitsShort(BopisOutcome outcome) => outcome == BopisOutcome.Short ? ShortUnits : 0;

    /// <summary>Units the customer takes home.</summary>
    public static int UnitsHandedOver(BopisOutcome outcome) => outcome is BopisOutcome.Collected or BopisOutcome.Short ? UnitsOrdered(outcome) - UnitsShort(outcome) : 0;

    /// <summary>The order status (<c>GET /api/orders/{id}</c>, <c>order.status</c>) the order should end in, its workflow <c>Completed</c>.</summary>
    public static string FinalStatus(BopisOutcome outcome) => outcome switch
    {
        BopisOutcome.Unpicked => "cancelled",
        BopisOutcome.NoShow => "expired",
        _ => "collected",
    };

    /// <summary>
    /// Units that leave the store's on-hand count for good. Units handed over always do. Units the pick left out do when
    /// <paramref name="shortUnitsLeaveOnHand"/> (<see cref="BopisLoadOptions.ShortUnitsLeaveOnHand"/>, by default): the
    /// backbone books them as found missing; otherwise they stay on the shelf with only their hold released.
    /// </summary>
    public static int UnitsOffTheShelf(BopisOutcome outcome, bool shortUnitsLeaveOnHand) =>
        UnitsOffTheShelfAtPick(outcome, shortUnitsLeaveOnHand) + UnitsOffTheShelfAtCollection(outcome);

    /// <summary>The part of <see cref="UnitsOffTheShelf"/> that goes once the store's pick is accepted.</summary>
    public static int UnitsOffTheShelfAtPick(BopisOutcome outcome, bool shortUnitsLeaveOnHand) => shortUnitsLeaveOnHand ? UnitsShort(outcome) : 0;

    /// <summary>The part of <see cref="UnitsOffTheShelf"/> that goes once the collection is accepted: the units handed over.</summary>
    public static int UnitsOffTheShelfAtCollection(BopisOutcome outcome) => UnitsHandedOver(outcome);

    /// <summary>
    /// What the payment side should have refunded in all: nothing for a collected order, the short units at the line
    /// price for a short one, the whole order for one cancelled unpicked or expired uncollected.
    /// </summary>
    public static decimal Refund(BopisOutcome outcome, decimal unitPrice) => outcome switch
    {
        BopisOutcome.Short => UnitsShort(outcome) * unitPrice,
        BopisOutcome.Unpicked or BopisOutcome.NoShow => UnitsOrdered(outcome) * unitPrice,
        _ => 0m,
    };
}
