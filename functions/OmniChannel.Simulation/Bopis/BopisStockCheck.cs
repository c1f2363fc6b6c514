namespace OmniChannel.Simulation.Bopis;

/// <summary>
/// The run's SKU at the store after the stock event arrived and after the last order finished: on hand falls by the
/// units that left the store (<see cref="BopisExpectations.UnitsOffTheShelf"/>), nothing stays held and everything on
/// hand is available again.
/// </summary>
/// <param name="StockedOnHand">On hand once the stock event showed, before the first order.</param>
/// <param name="FinalOnHand">On hand at the end.</param>
/// <param name="FinalReserved">Reserved (held for orders) at the end.</param>
/// <param name="FinalAvailable">Available at the end.</param>
/// <param name="ExpectedDecrease">
/// Units that should have left the store: the units handed over by every order whose collected signal was accepted
/// (every collected order, plus any the run stopped waiting for after the store handed it over), and the short units
/// of accepted short picks when the backbone books them as missing.
/// </param>
public sealed record BopisStockCheck(int StockedOnHand, int FinalOnHand, int FinalReserved, int FinalAvailable, int ExpectedDecrease)
{
    public int Decrease => StockedOnHand - FinalOnHand;

    /// <summary>On hand fell by exactly the expected units, nothing is left held and all on hand is available.</summary>
    public bool Passed => Decrease == ExpectedDecrease && FinalReserved == 0 && FinalAvailable == FinalOnHand;
}
