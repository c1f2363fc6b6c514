using OmniChannel.Core.Prices;
using static OmniChannel.Core.UnitTests.Prices.PriceTestData;

namespace OmniChannel.Core.UnitTests.Prices;

public sealed class PriceScopeTests
{
    [Fact]
    public void Reaches_ChainWideChange_ReachesEverySubscriber()
    {
        var reached = Reached(PriceScope.All);

        Assert.Equal(Subscribers().Select(subscriber => subscriber.Id).Order(StringComparer.Ordinal), reached);
    }

    [Fact]
    public void Reaches_RegionChange_ReachesThatRegionsHubAndStoresAndTheChainWideChannelsOnly()
    {
        var reached = Reached(PriceScope.ForRegion("NY"));

        Assert.Equal(
            ["marketplace-1", "marketplace-2", "mobile-app", "pos-0001", "pos-0002", "signage-0001", "signage-0002", "signage-hub-ny", "web-catalogue"],
            reached);
    }

    [Fact]
    public void Reaches_RegionChange_MatchesTheRegionCodeWhateverItsCase()
    {
        // Admins type "ny" as often as "NY"; the directory's code decides which stores are in the region.
        Assert.Equal(Reached(PriceScope.ForRegion("NY")), Reached(PriceScope.ForRegion("ny")));
    }

    [Fact]
    public void Reaches_StoreChange_ReachesThatStoreItsRegionsHubAndTheChainWideChannelsOnly()
    {
        var reached = Reached(PriceScope.ForStore("0002"));

        Assert.Equal(["marketplace-1", "marketplace-2", "mobile-app", "pos-0002", "signage-0002", "signage-hub-ny", "web-catalogue"], reached);
    }

    [Fact]
    public void Reaches_StoreChange_DoesNotReachAnotherRegionsHub()
    {
        Assert.False(PriceScope.ForStore("0003").Reaches(PriceScope.ForRegion("NY"), ById));
        Assert.True(PriceScope.ForStore("0003").Reaches(PriceScope.ForRegion("NJ"), ById));
    }

    [Fact]
    public void Reaches_StoreMissingFromTheDirectory_ReachesNoRegionalOrOtherStoreSubscriber()
    {
        // Without the directory's region a store's subscriber cannot be placed: chain-wide channels still hear of it.
        Assert.False(PriceScope.ForRegion("NY").Reaches(PriceScope.ForStore("9999"), ById));
        Assert.False(PriceScope.ForStore("9999").Reaches(PriceScope.ForRegion("NY"), ById));
        Assert.True(PriceScope.ForStore("9999").Reaches(PriceScope.All, ById));
    }

    [Theory]
    [InlineData("all", null, true)]
    [InlineData("all", "0003", true)]
    [InlineData("region:NY", "0001", true)]
    [InlineData("region:ny", "0002", true)]
    [InlineData("region:NY", "0003", false)]
    [InlineData("region:NY", null, false)]
    [InlineData("store:0001", "0001", true)]
    [InlineData("store:0001", "0002", false)]
    [InlineData("store:0001", null, false)]
    public void AppliesAt_AnswersWhetherThePriceHoldsAtTheStore(string scope, string? storeId, bool applies)
    {
        var store = storeId is null ? null : ById(storeId);

        Assert.Equal(applies, PriceScope.Parse(scope).AppliesAt(store));
    }

    [Theory]
    [InlineData("all", PriceScopeKind.All, null)]
    [InlineData("region:NY", PriceScopeKind.Region, "NY")]
    [InlineData("store:0001", PriceScopeKind.Store, "0001")]
    public void TryParse_KnownForms_RoundTripThroughToString(string text, PriceScopeKind kind, string? value)
    {
        Assert.True(PriceScope.TryParse(text, out var scope));
        Assert.Equal(new PriceScope(kind, value), scope);
        Assert.Equal(text, scope.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("ALL")]
    [InlineData("region")]
    [InlineData("region:")]
    [InlineData(":NY")]
    [InlineData("city:NYC")]
    public void TryParse_OtherText_IsRefused(string? text)
    {
        Assert.False(PriceScope.TryParse(text, out var scope));
        Assert.Null(scope);
    }

    [Fact]
    public void Specificity_StoreOutranksRegionOutranksChain()
    {
        Assert.True(PriceScope.ForStore("0001").Specificity > PriceScope.ForRegion("NY").Specificity);
        Assert.True(PriceScope.ForRegion("NY").Specificity > PriceScope.All.Specificity);
    }

    private static List<string> Reached(PriceScope change) =>
        Subscribers().Where(subscriber => change.Reaches(subscriber.Scope, ById)).Select(subscriber => subscriber.Id).Order(StringComparer.Ordinal).ToList();
}
