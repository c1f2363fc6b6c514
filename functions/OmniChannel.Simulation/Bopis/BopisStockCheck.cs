namespace OmniChannel.Simulation.Bopis;

/// <summary>
/// The run's SKU at the store after the stock event arrived and after the last order finished: every collected order
/// takes its unit off the shelf (on hand) and out of the reservations.
/// </summary>
/// <param name="StockedOnHand">On hand once the stock event showed, before the first order.</param>
/// <param name="FinalOnHand">On hand at the end.</param>
/// <param name="FinalReserved">Reserved at the end.</param>
/// <param name="ExpectedDecrease">
/// Units that should have left the store: one per order whose collected signal was accepted (every completed order,
/// plus any the run stopped waiting for after the store handed it over).
/// </param>
public sealed record BopisStockCheck(int StockedOnHand, int FinalOnHand, int FinalReserved, int ExpectedDecrease)
{
    public int Decrease => StockedOnHand - FinalOnHand;

    /// <summary>On hand fell by exactly the collected units and nothing is left reserved (true of a run where every order completed).</summary>
    public bool Passed => Decrease == ExpectedDecrease && FinalReserved == 0;
}
