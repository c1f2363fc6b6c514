using OmniChannel.Core.Events;
using OmniChannel.Core.Profiles;
using OmniChannel.Core.Remarketing;
using OmniChannel.Core.UnitTests.Builders;
using static OmniChannel.Core.UnitTests.Remarketing.RemarketingTestData;

namespace OmniChannel.Core.UnitTests.Remarketing;

/// <summary>Rules by product category: the category travels on <c>omni.product.viewed</c> and into the Customer 360.</summary>
public sealed class RemarketingCategoryTests
{
    private readonly RemarketingTestData _data = new();

    [Fact]
    public void ProductViewed_WithACategory_DecodesItAndKeepsItInTheActivity()
    {
        var viewed = Decoding.Event(CloudEventBuilder.View("SKU-9").Data("category", "outdoor").Customer("C1"));

        Assert.Equal("outdoor", Assert.IsType<ProductViewed>(viewed.Payload).Category);
        Assert.Equal(["outdoor"], RemarketingService.InputFor(viewed, "C1")!.Categories);
    }

    [Theory]
    [InlineData("outdoor", true)]
    [InlineData("Outdoor", true)]
    [InlineData("kitchen", false)]
    [InlineData(null, false)]
    public async Task Decide_OnlineViewRuleForACategory_FiresOnlyForThatCategory(string? category, bool fires)
    {
        _data.Rules.Seed(GeofenceRule("by-category") with { Signal = RemarketingSignal.ProductViewed, Conditions = RuleConditions.Any with { Categories = ["outdoor"] } });
        _data.SeedCustomer(["SKU-1"], lastStoreId: Near.Id);
        _data.Inventory.Stock(Near.Id, "SKU-9", 2);

        var decision = await _data.Service.DecideAsync(OnlineView("SKU-9") with { Categories = category is null ? null : [category] }, CancellationToken.None);

        Assert.True(decision.Fires == fires, decision.Reason);
    }

    [Fact]
    public async Task Decide_GeofenceRuleForACategory_LooksAtTheCategoriesOfRecentViews()
    {
        _data.Rules.Seed(GeofenceRule("by-category") with { Conditions = RuleConditions.Any with { Categories = ["outdoor"] } });
        var profile = _data.SeedCustomer(["SKU-1"]);
        profile.RecentActivity[0] = profile.RecentActivity[0] with { Category = "outdoor" };
        _data.Profiles.Seed(profile);
        _data.Inventory.Stock(Near.Id, "SKU-1", 2);

        var decision = await _data.Service.DecideAsync(Geofence(), CancellationToken.None);

        Assert.True(decision.Fires, decision.Reason);
    }
}
