namespace OmniChannel.Simulation.Bopis;

/// <summary>
/// The refunds the payment side received for the orders that ended as planned, against what each outcome should
/// refund (<see cref="BopisExpectations.Refund"/>), to the cent.
/// </summary>
/// <param name="Orders">Orders whose refunds were read.</param>
/// <param name="Refunds">Refunds received over those orders.</param>
/// <param name="Expected">What they should have refunded in all.</param>
/// <param name="Received">What they refunded in all.</param>
/// <param name="Mismatches">The orders whose refunds do not add up to their expected amount, described (every one).</param>
/// <param name="DuplicateRefundIds">Refund ids received more than once.</param>
/// <param name="Error">Why the refunds could not be read; null when they were.</param>
public sealed record BopisRefundCheck(
    int Orders,
    int Refunds,
    decimal Expected,
    decimal Received,
    IReadOnlyList<string> Mismatches,
    IReadOnlyList<string> DuplicateRefundIds,
    string? Error)
{
    /// <summary>Read, every order's refunds add up, no refund id twice and the totals agree.</summary>
    public bool Passed => Error is null && Mismatches.Count == 0 && DuplicateRefundIds.Count == 0 && Expected == Received;
}
