using OmniChannel.Core.Identity;

namespace OmniChannel.Core.UnitTests.Identity;

public sealed class IdentityKeyTests
{
    [Theory]
    [InlineData("customer:C1", IdentityKind.Customer, "C1")]
    [InlineData("loyalty:L:1", IdentityKind.Loyalty, "L:1")]
    [InlineData("email:ab", IdentityKind.Email, "ab")]
    [InlineData("device:d-1", IdentityKind.Device, "d-1")]
    [InlineData("store:0001", IdentityKind.Store, "0001")]
    public void Parse_KeyText_RoundTrips(string text, IdentityKind kind, string value)
    {
        var key = IdentityKey.Parse(text);

        Assert.Equal(new IdentityKey(kind, value), key);
        Assert.Equal(text, key.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("customer:")]
    [InlineData("C1")]
    [InlineData("user:C1")]
    public void TryParse_NotAKey_IsFalse(string? text)
    {
        Assert.False(IdentityKey.TryParse(text, out _));
        Assert.Throws<FormatException>(() => IdentityKey.Parse(text ?? string.Empty));
    }

    [Fact]
    public void CompareTo_Keys_SortStrongestKindFirstThenByValue()
    {
        var keys = new[] { "device:a", "email:z", "customer:b", "loyalty:a", "customer:a" }.Select(IdentityKey.Parse).ToList();

        keys.Sort();

        Assert.Equal(["customer:a", "customer:b", "loyalty:a", "email:z", "device:a"], keys.Select(key => key.ToString()));
    }

    [Fact]
    public void Keys_IdentitySet_ListsStrongestFirstAndPrimaryIsTheFirst()
    {
        var set = new IdentitySet(null, "d-1", "L1", "e1");

        Assert.Equal(["loyalty:L1", "email:e1", "device:d-1"], set.Keys().Select(key => key.ToString()));
        Assert.Equal(IdentityKey.Loyalty("L1"), set.Primary);
        Assert.Null(IdentitySet.None.Primary);
        Assert.True(IdentitySet.None.IsEmpty);
    }
}
