using OmniChannel.Core.Profiles;

namespace OmniChannel.Core.Remarketing;

/// <summary>The example rule the local host starts with (marketing's first rule, as the README walks through it).</summary>
public static class RuleSeed
{
    public static RemarketingRule Example { get; } = new(
        Id: "walk-in-after-browsing",
        Name: "Walked past a store after browsing online",
        Enabled: true,
        Priority: 10,
        Signal: RemarketingSignal.GeofenceEntered,
        Conditions: RuleConditions.Any with { JourneyStages = [JourneyStage.Considering, JourneyStage.Cart, JourneyStage.CartAbandoned], ViewedWithinDays = 14 },
        RadiusMeters: 500,
        Stores: [],
        Offer: new Offer(OfferKind.Percent, 15, 30, 48),
        FrequencyCap: new FrequencyCap(1, 7),
        QuietHours: new QuietHours(new TimeOnly(21, 0), new TimeOnly(8, 0)));
}
