using OmniChannel.Simulation.Bopis;

namespace OmniChannel.Simulation.Tests.Bopis;

public sealed class BopisOutcomePlanTests
{
    [Fact]
    public void Assign_FivePercentEach_GivesExactlyThatManyOfEachAndCollectsTheRest()
    {
        var outcomes = BopisOutcomePlan.Assign("run-a", 200, 5m, 5m, 5m);

        Assert.Equal(200, outcomes.Count);
        Assert.Equal(10, outcomes.Count(outcome => outcome == BopisOutcome.Unpicked));
        Assert.Equal(10, outcomes.Count(outcome => outcome == BopisOutcome.Short));
        Assert.Equal(10, outcomes.Count(outcome => outcome == BopisOutcome.NoShow));
        Assert.Equal(170, outcomes.Count(outcome => outcome == BopisOutcome.Collected));

        // Spread over the run, not the first orders placed: the shuffle puts some in each half.
        Assert.Contains(outcomes.Take(100), outcome => outcome != BopisOutcome.Collected);
        Assert.Contains(outcomes.Skip(100), outcome => outcome != BopisOutcome.Collected);
    }

    [Fact]
    public void Assign_SameTag_SameOrdersSameOutcomes_OtherTag_OtherOrders()
    {
        var first = BopisOutcomePlan.Assign("run-a", 200, 5m, 5m, 5m);
        var again = BopisOutcomePlan.Assign("run-a", 200, 5m, 5m, 5m);
        var other = BopisOutcomePlan.Assign("run-b", 200, 5m, 5m, 5m);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Assign_NoShares_CollectsEveryOrderAsBefore()
    {
        Assert.All(BopisOutcomePlan.Assign("run-a", 50, 0m, 0m, 0m), outcome => Assert.Equal(BopisOutcome.Collected, outcome));
    }

    [Theory]
    [InlineData(2.5, 200, 5)]
    [InlineData(5, 30, 2)] // 1.5 orders: half an order rounds up
    [InlineData(5, 29, 1)] // 1.45 orders
    [InlineData(100, 7, 7)]
    public void CountOf_RoundsToTheNearestOrder(double percent, int orders, int expected) =>
        Assert.Equal(expected, BopisOutcomePlan.CountOf((decimal)percent, orders));

    [Fact]
    public void Assign_SharesComeToMoreThanEveryOrder_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BopisOutcomePlan.Assign("run-a", 10, 50m, 50m, 10m));
        Assert.Throws<ArgumentOutOfRangeException>(() => BopisOutcomePlan.Assign("run-a", 10, 101m, 0m, 0m));
    }
}
