using OmniChannel.Core.Remarketing;

namespace OmniChannel.Core.UnitTests.Remarketing;

public sealed class HoldoutGroupsTests
{
    [Fact]
    public void Bucket_SamePersonAndRule_IsTheSameOnEveryCallAndRun()
    {
        // Pinned figures: a hash that changed between processes or releases (string.GetHashCode) would move people between groups.
        Assert.Equal(8857, HoldoutGroups.Bucket("C1", "rule:walk-in"));
        Assert.Equal(1933, HoldoutGroups.Bucket("c-0001", "rule:walk-in"));
        Assert.Equal(93, HoldoutGroups.Bucket("c-0001", "global-control"));
        Assert.Equal(HoldoutGroups.Bucket("alice", "rule:walk-in"), HoldoutGroups.Bucket("alice", "rule:walk-in"));
    }

    [Fact]
    public void IsHeldOut_TwentyPercentOfTenThousandCustomers_HoldsOutAboutTwentyPercent()
    {
        var ids = Enumerable.Range(0, 10_000).Select(index => $"c-{index:D5}").ToList();

        var heldOut = ids.Count(id => HoldoutGroups.IsHeldOut(id, "walk-in", 20));

        // Binomial(10,000, 0.2) has a standard deviation of 40: ±150 is beyond 3.5 of them.
        Assert.InRange(heldOut, 1_850, 2_150);
        Assert.Equal(1_975, heldOut);
    }

    [Fact]
    public void IsHeldOut_AnotherRule_DrawsItsOwnGroup()
    {
        var ids = Enumerable.Range(0, 10_000).Select(index => $"c-{index:D5}").ToList();

        var inBoth = ids.Count(id => HoldoutGroups.IsHeldOut(id, "walk-in", 20) && HoldoutGroups.IsHeldOut(id, "boots", 20));

        // Independent draws: about 4 % are in both control groups, not 20 %.
        Assert.InRange(inBoth, 300, 500);
    }

    [Fact]
    public void IsHeldOut_ZeroPercent_HoldsOutNobody_AndFiftyAboutHalf()
    {
        var ids = Enumerable.Range(0, 10_000).Select(index => $"c-{index:D5}").ToList();

        Assert.DoesNotContain(ids, id => HoldoutGroups.IsHeldOut(id, "walk-in", 0));
        Assert.InRange(ids.Count(id => HoldoutGroups.IsHeldOut(id, "walk-in", 50)), 4_800, 5_200);
    }

    [Fact]
    public void InGlobalControl_DependsOnThePersonAlone_AboutItsShare()
    {
        var ids = Enumerable.Range(0, 10_000).Select(index => $"c-{index:D5}").ToList();

        Assert.True(HoldoutGroups.InGlobalControl("c-0001", 1));
        Assert.False(HoldoutGroups.InGlobalControl("c-0001", 0));
        Assert.InRange(ids.Count(id => HoldoutGroups.InGlobalControl(id, 5)), 420, 580);
    }
}
