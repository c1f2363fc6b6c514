using OmniChannel.Simulation.Bopis;

namespace OmniChannel.Simulation.Tests.Bopis;

public sealed class BopisExpectationsTests
{
    [Theory]
    [InlineData(BopisOutcome.Collected, 1, 1, "collected", "0")]
    [InlineData(BopisOutcome.Short, 2, 1, "collected", "12.34")]
    [InlineData(BopisOutcome.Unpicked, 1, 0, "cancelled", "12.34")]
    [InlineData(BopisOutcome.NoShow, 1, 0, "expired", "12.34")]
    public void EachOutcome_OrdersHandsOverEndsAndRefunds(BopisOutcome outcome, int ordered, int handedOver, string status, string refund)
    {
        Assert.Equal(ordered, BopisExpectations.UnitsOrdered(outcome));
        Assert.Equal(handedOver, BopisExpectations.UnitsHandedOver(outcome));
        Assert.Equal(status, BopisExpectations.FinalStatus(outcome));
        Assert.Equal(outcome == BopisOutcome.NoShow ? "no-show" : outcome.ToString().ToLowerInvariant(), BopisExpectations.Name(outcome));
        Assert.Equal(decimal.Parse(refund, System.Globalization.CultureInfo.InvariantCulture), BopisExpectations.Refund(outcome, 12.34m));
    }

    [Fact]
    public void UnitsOffTheShelf_ShortPick_CountsTheMissingUnitOnlyWhenBookedMissing()
    {
        Assert.Equal(1, BopisExpectations.UnitsOffTheShelf(BopisOutcome.Short, shortUnitsLeaveOnHand: false));
        Assert.Equal(2, BopisExpectations.UnitsOffTheShelf(BopisOutcome.Short, shortUnitsLeaveOnHand: true));
        Assert.Equal(0, BopisExpectations.UnitsOffTheShelf(BopisOutcome.NoShow, shortUnitsLeaveOnHand: true));
        Assert.Equal(1, BopisExpectations.UnitsOffTheShelf(BopisOutcome.Collected, shortUnitsLeaveOnHand: true));
    }
}
