using OmniChannel.Core.Events;
using OmniChannel.Core.Profiles;
using OmniChannel.Core.Remarketing;
using OmniChannel.Core.Stores;

namespace OmniChannel.Core.UnitTests.Remarketing;

public sealed class RuleEngineTests
{
    // 2026-11-25 17:00 UTC is 12:00 in New York, 09:00 in Los Angeles, 07:00 in Honolulu.
    private static readonly DateTimeOffset Noon = new(2026, 11, 25, 17, 0, 0, TimeSpan.Zero);
    private static readonly Store NewYork = new("0001", "New York Downtown", "New York", "east", 40.7128, -74.006, "America/New_York", true);
    private static readonly Store NewYorkMall = new("0025", "New York Mall", "New York", "east", 40.74, -74.0, "America/New_York", true);
    private static readonly Store LosAngeles = new("0018", "Los Angeles Downtown", "Los Angeles", "west", 34.0522, -118.2437, "America/Los_Angeles", true);

    private static readonly CustomerFacts Consenting = new(ConsentState.Granted, JourneyStage.Considering, [new ViewedProduct("SKU-1", Noon.AddDays(-2))], []);

    [Fact]
    public void Decide_GeofenceNearAStoreAfterViewingTheSku_FiresWithThatStore()
    {
        var engine = new RuleEngine([Rule("walk-in")]);

        var match = engine.Decide(Geofence(NewYork), Consenting, Near(NewYork, 120), out var evaluated);

        Assert.Equal(("walk-in", "0001", 120d), (match?.Rule.Id, match?.Store.Id, match?.DistanceMeters));
        Assert.Equal(1, evaluated);
    }

    public static TheoryData<string, RemarketingRule, SignalFacts, CustomerFacts, StoreCandidate[], RuleReason> Decisions => new()
    {
        { "disabled", Rule("r") with { Enabled = false }, Geofence(NewYork), Consenting, Near(NewYork, 100), RuleReason.Disabled },
        { "other signal", Rule("r") with { Signal = RemarketingSignal.CartAbandoned }, Geofence(NewYork), Consenting, Near(NewYork, 100), RuleReason.OtherSignal },
        { "consent revoked", Rule("r"), Geofence(NewYork), Consenting with { Consent = ConsentState.Revoked }, Near(NewYork, 100), RuleReason.NoConsent },
        { "consent unknown", Rule("r"), Geofence(NewYork), Consenting with { Consent = ConsentState.Unknown }, Near(NewYork, 100), RuleReason.NoConsent },
        { "outside the radius", Rule("r") with { RadiusMeters = 500 }, Geofence(NewYork), Consenting, Near(NewYork, 501), RuleReason.NoStoreInRadius },
        { "on the radius", Rule("r") with { RadiusMeters = 500 }, Geofence(NewYork), Consenting, Near(NewYork, 500), RuleReason.Fired },
        { "store not in the rule", Rule("r") with { Stores = ["0018"] }, Geofence(NewYork), Consenting, Near(NewYork, 100), RuleReason.NoStoreInRadius },
        { "second-nearest store is the rule's", Rule("r") with { Stores = ["0025"] }, Geofence(NewYork), Consenting, [new(NewYork, 100), new(NewYorkMall, 800)], RuleReason.Fired },
        { "sku never viewed", Rule("r") with { Conditions = RuleConditions.Any with { Skus = ["SKU-9"] } }, Geofence(NewYork), Consenting, Near(NewYork, 100), RuleReason.SkuNotTargeted },
        { "viewed too long ago", Rule("r") with { Conditions = RuleConditions.Any with { Skus = ["SKU-1"], ViewedWithinDays = 1 } }, Geofence(NewYork), Consenting, Near(NewYork, 100), RuleReason.SkuNotTargeted },
        { "viewed within days", Rule("r") with { Conditions = RuleConditions.Any with { Skus = ["SKU-1"], ViewedWithinDays = 3 } }, Geofence(NewYork), Consenting, Near(NewYork, 100), RuleReason.Fired },
        { "nothing viewed recently", Rule("r") with { Conditions = RuleConditions.Any with { ViewedWithinDays = 1 } }, Geofence(NewYork), Consenting, Near(NewYork, 100), RuleReason.NotViewedRecently },
        { "viewed sku online", Rule("r", RemarketingSignal.ProductViewed) with { Conditions = RuleConditions.Any with { Skus = ["SKU-2"] } }, Viewed("SKU-2"), Consenting, Near(NewYork, 200), RuleReason.Fired },
        { "category not targeted", Rule("r", RemarketingSignal.ProductViewed) with { Conditions = RuleConditions.Any with { Categories = ["shoes"] } }, Viewed("SKU-2", "outdoor"), Consenting, Near(NewYork, 100), RuleReason.CategoryNotTargeted },
        { "category targeted, any case", Rule("r", RemarketingSignal.ProductViewed) with { Conditions = RuleConditions.Any with { Categories = ["Outdoor"] } }, Viewed("SKU-2", "outdoor"), Consenting, Near(NewYork, 100), RuleReason.Fired },
        { "cart below minimum", Rule("r", RemarketingSignal.CartAbandoned) with { Conditions = RuleConditions.Any with { MinCartValue = 50 } }, Cart(49.99m), Consenting, Near(NewYork, 100), RuleReason.CartBelowMinimum },
        { "cart at minimum", Rule("r", RemarketingSignal.CartAbandoned) with { Conditions = RuleConditions.Any with { MinCartValue = 50 } }, Cart(50m), Consenting, Near(NewYork, 100), RuleReason.Fired },
        { "journey stage not targeted", Rule("r") with { Conditions = RuleConditions.Any with { JourneyStages = [JourneyStage.CartAbandoned] } }, Geofence(NewYork), Consenting, Near(NewYork, 100), RuleReason.JourneyStageNotTargeted },
        { "journey stage targeted", Rule("r") with { Conditions = RuleConditions.Any with { JourneyStages = [JourneyStage.Cart, JourneyStage.Considering] } }, Geofence(NewYork), Consenting, Near(NewYork, 100), RuleReason.Fired },
        { "cap reached", Rule("r") with { FrequencyCap = new(1, 7) }, Geofence(NewYork), Consenting with { CouponsIssuedAt = [Noon.AddDays(-6)] }, Near(NewYork, 100), RuleReason.FrequencyCapReached },
        { "cap window passed", Rule("r") with { FrequencyCap = new(1, 7) }, Geofence(NewYork), Consenting with { CouponsIssuedAt = [Noon.AddDays(-8)] }, Near(NewYork, 100), RuleReason.Fired },
        { "cap allows two", Rule("r") with { FrequencyCap = new(2, 7) }, Geofence(NewYork), Consenting with { CouponsIssuedAt = [Noon.AddDays(-1)] }, Near(NewYork, 100), RuleReason.Fired },
        { "daily budget spent", Rule("r") with { DailyBudget = 3 }, Geofence(NewYork) with { DailyBudgetUsed = new Dictionary<string, int> { ["r"] = 3 } }, Consenting, Near(NewYork, 100), RuleReason.DailyBudgetSpent },
        { "daily budget left", Rule("r") with { DailyBudget = 3 }, Geofence(NewYork) with { DailyBudgetUsed = new Dictionary<string, int> { ["r"] = 2, ["other"] = 9 } }, Consenting, Near(NewYork, 100), RuleReason.Fired },
        { "another rule's budget spent", Rule("r") with { DailyBudget = 3 }, Geofence(NewYork) with { DailyBudgetUsed = new Dictionary<string, int> { ["other"] = 3 } }, Consenting, Near(NewYork, 100), RuleReason.Fired },
        // Quiet hours are on the store's clock: noon UTC-5 in New York, 09:00 in Los Angeles.
        { "quiet hours in the store's zone", Rule("r") with { QuietHours = new(new(11, 0), new(13, 0)) }, Geofence(NewYork), Consenting, Near(NewYork, 100), RuleReason.QuietHours },
        { "same UTC moment, other zone not quiet", Rule("r") with { QuietHours = new(new(11, 0), new(13, 0)) }, Geofence(LosAngeles), Consenting, Near(LosAngeles, 100), RuleReason.Fired },
        { "quiet hours across midnight, before it", Rule("r") with { QuietHours = new(new(21, 0), new(8, 0)) }, Geofence(NewYork, Noon.AddHours(10)), Consenting, Near(NewYork, 100), RuleReason.QuietHours },
        { "quiet hours across midnight, after it", Rule("r") with { QuietHours = new(new(21, 0), new(8, 0)) }, Geofence(LosAngeles, Noon.AddHours(-3)), Consenting, Near(LosAngeles, 100), RuleReason.QuietHours },
        { "quiet hours end is open", Rule("r") with { QuietHours = new(new(21, 0), new(8, 0)) }, Geofence(NewYork, Noon.AddHours(-4)), Consenting, Near(NewYork, 100), RuleReason.Fired },
        { "no store location", Rule("r", RemarketingSignal.ProductViewed), Viewed("SKU-1"), Consenting, [], RuleReason.NoStoreInRadius },
    };

    [Theory]
    [MemberData(nameof(Decisions))]
    public void Explain_EachCondition_DecidesAndSaysWhy(string situation, RemarketingRule rule, SignalFacts signal, CustomerFacts customer, StoreCandidate[] stores, RuleReason expected)
    {
        var engine = new RuleEngine([rule]);

        var verdict = Assert.Single(engine.Explain(signal, customer, stores));
        var match = engine.Decide(signal, customer, stores, out _);

        Assert.True(expected == verdict.Reason, $"{situation}: expected {expected}, got {verdict.Reason} ({verdict.Explanation})");
        Assert.Equal(expected == RuleReason.Fired, match is not null);
        Assert.False(string.IsNullOrWhiteSpace(verdict.Explanation));
    }

    [Fact]
    public void Decide_SeveralRulesMatch_TheHighestPriorityWinsThenTheLowestId()
    {
        var engine = new RuleEngine([Rule("b-low") with { Priority = 1 }, Rule("z-high") with { Priority = 5 }, Rule("a-high") with { Priority = 5 }]);

        var match = engine.Decide(Geofence(NewYork), Consenting, Near(NewYork, 100), out var evaluated);
        var verdicts = engine.Explain(Geofence(NewYork), Consenting, Near(NewYork, 100));

        Assert.Equal("a-high", match?.Rule.Id);
        Assert.Equal(1, evaluated);
        Assert.Equal(["a-high", "z-high", "b-low"], verdicts.Select(verdict => verdict.RuleId));
    }

    [Fact]
    public void Decide_HigherPriorityRuleDoesNotMatch_TheNextOneFires()
    {
        var engine = new RuleEngine([Rule("big-spenders", RemarketingSignal.CartAbandoned) with { Priority = 9, Conditions = RuleConditions.Any with { MinCartValue = 200 } }, Rule("everyone", RemarketingSignal.CartAbandoned)]);

        var match = engine.Decide(Cart(80m), Consenting, Near(NewYork, 100), out var evaluated);

        Assert.Equal("everyone", match?.Rule.Id);
        Assert.Equal(2, evaluated);
    }

    [Fact]
    public void Decide_ARuleForSomeSkus_PassesOverANearerStoreThatHasNoneOfThemInStock()
    {
        var engine = new RuleEngine([Rule("r", RemarketingSignal.CartAbandoned) with { Conditions = RuleConditions.Any with { Skus = ["SKU-2"] } }]);
        StoreCandidate[] stores = [new(NewYork, 100, ["SKU-1"]), new(NewYorkMall, 800, ["SKU-2", "SKU-1"])];

        var match = engine.Decide(Cart(80m) with { Skus = ["SKU-1", "SKU-2"] }, Consenting, stores, out _);
        var none = engine.Decide(Cart(80m) with { Skus = ["SKU-1", "SKU-2"] }, Consenting, stores[..1], out _);
        var notChecked = engine.Decide(Cart(80m) with { Skus = ["SKU-1", "SKU-2"] }, Consenting, Near(NewYork, 100), out _);

        Assert.Equal("0025", match?.Store.Id);
        Assert.Null(none);
        Assert.Equal("0001", notChecked?.Store.Id); // stock not known: the caller checked nothing
    }

    [Fact]
    public void Explain_QuietHours_NamesTheStoresLocalTime()
    {
        var engine = new RuleEngine([Rule("r") with { QuietHours = new(new(11, 0), new(13, 0)) }]);

        var verdict = Assert.Single(engine.Explain(Geofence(NewYork), Consenting, Near(NewYork, 100)));

        Assert.Contains("12:00", verdict.Explanation, StringComparison.Ordinal);
        Assert.Contains("America/New_York", verdict.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_OnlyWhenStoreOpen_PassesOverAClosedNearerStoreForAnOpenOneFartherAway()
    {
        // Noon in New York: the downtown store opens at 13:00 today, the mall at 10:00.
        var engine = new RuleEngine([Rule("r") with { OnlyWhenStoreOpen = true }]);
        StoreCandidate[] stores = [new(NewYork with { OpeningHours = Daily(13, 21) }, 100), new(NewYorkMall with { OpeningHours = Daily(10, 21) }, 800)];

        var match = engine.Decide(Geofence(NewYork), Consenting, stores, out _);
        var unfiltered = new RuleEngine([Rule("r")]).Decide(Geofence(NewYork), Consenting, stores, out _);

        Assert.Equal("0025", match?.Store.Id);
        Assert.Equal("0001", unfiltered?.Store.Id);
    }

    [Fact]
    public void Explain_OnlyWhenStoreOpen_EveryStoreInRadiusClosed_IsStoreClosedNamingTheNearestAndItsOpening()
    {
        var engine = new RuleEngine([Rule("r") with { OnlyWhenStoreOpen = true }]);
        StoreCandidate[] stores = [new(NewYork with { OpeningHours = Daily(13, 21) }, 100), new(NewYorkMall with { OpeningHours = Daily(14, 21) }, 800)];

        var verdict = Assert.Single(engine.Explain(Geofence(NewYork), Consenting, stores));

        Assert.Equal(RuleReason.StoreClosed, verdict.Reason);
        Assert.Equal("Store 0001 (New York Downtown) is closed at 12:00 on its clock (opens 13:00).", verdict.Explanation);
        Assert.Null(engine.Decide(Geofence(NewYork), Consenting, stores, out _));
    }

    [Fact]
    public void Decide_OnlyWhenStoreOpen_AStoreOfUnknownHoursCountsAsOpen()
    {
        var engine = new RuleEngine([Rule("r") with { OnlyWhenStoreOpen = true }]);

        Assert.Equal("0001", engine.Decide(Geofence(NewYork), Consenting, Near(NewYork, 100), out _)?.Store.Id);
    }

    [Fact]
    public void Explain_RevokedConsent_SaysSoForEveryRule()
    {
        var engine = new RuleEngine([Rule("a"), Rule("b", RemarketingSignal.CartAbandoned)]);

        var verdicts = engine.Explain(Geofence(NewYork), Consenting with { Consent = ConsentState.Revoked }, Near(NewYork, 100));

        Assert.All(verdicts, verdict => Assert.Contains("revoked", verdict.Explanation, StringComparison.Ordinal));
        Assert.Null(engine.Decide(Geofence(NewYork), Consenting with { Consent = ConsentState.Revoked }, Near(NewYork, 100), out var evaluated));
        Assert.Equal(0, evaluated);
    }

    private static RemarketingRule Rule(string id, RemarketingSignal signal = RemarketingSignal.GeofenceEntered) =>
        new(id, "Rule " + id, Enabled: true, Priority: 0, signal, RuleConditions.Any, RadiusMeters: 1000, Stores: [],
            new Offer(OfferKind.Percent, 15, 30, 48), new FrequencyCap(1, 7), QuietHours: null);

    private static SignalFacts Geofence(Store store, DateTimeOffset? at = null) => new(RemarketingSignal.GeofenceEntered, at ?? Noon, [], [], null, store.Id);

    private static SignalFacts Viewed(string sku, string? category = null) => new(RemarketingSignal.ProductViewed, Noon, [sku], category is null ? [] : [category], null, null);

    private static SignalFacts Cart(decimal value) => new(RemarketingSignal.CartAbandoned, Noon, ["SKU-1"], [], value, null);

    private static StoreCandidate[] Near(Store store, double meters) => [new(store, meters)];

    private static OpeningHours Daily(int opens, int closes) =>
        OpeningHours.Weekly(new DayHours(new(opens, 0), new(closes, 0)), new DayHours(new(opens, 0), new(closes, 0)));
}
