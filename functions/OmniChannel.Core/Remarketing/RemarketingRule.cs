using OmniChannel.Core.Profiles;

namespace OmniChannel.Core.Remarketing;

/// <summary>The signals a rule can listen to (the event types' short names on the wire).</summary>
public enum RemarketingSignal
{
    /// <summary><c>geofence.entered</c>: a customer's app saw them walk near a store.</summary>
    GeofenceEntered,

    /// <summary><c>product.viewed</c>: a customer looked at a product online.</summary>
    ProductViewed,

    /// <summary><c>cart.abandoned</c>: a customer left a cart online.</summary>
    CartAbandoned,
}

public enum OfferKind
{
    /// <summary><see cref="Offer.Value"/> percent off.</summary>
    Percent,

    /// <summary><see cref="Offer.Value"/> off, in the store's currency.</summary>
    Amount,
}

/// <summary>What the coupon gives: a percentage or an amount off a purchase of at least <see cref="MinSpend"/>, valid for <see cref="ValidHours"/>.</summary>
public sealed record Offer(OfferKind Kind, decimal Value, decimal MinSpend, int ValidHours);

/// <summary>At most <see cref="Coupons"/> coupons per customer in <see cref="PerDays"/> days, counting every rule's coupons.</summary>
public sealed record FrequencyCap(int Coupons, int PerDays);

/// <summary>No coupons between <see cref="From"/> and <see cref="To"/> on the store's clock; <c>22:00–07:00</c> spans midnight.</summary>
public sealed record QuietHours(TimeOnly From, TimeOnly To)
{
    public bool Contains(TimeOnly time) => From <= To ? time >= From && time < To : time >= From || time < To;
}

/// <summary>Which signals a rule fires on; an empty list or null means "any".</summary>
public sealed record RuleConditions(
    IReadOnlyList<string> Skus,
    IReadOnlyList<string> Categories,
    decimal? MinCartValue,
    IReadOnlyList<JourneyStage> JourneyStages,
    int? ViewedWithinDays)
{
    public static RuleConditions Any { get; } = new([], [], null, [], null);
}

/// <summary>
/// A remarketing rule as marketing configures it: on which signal, for whom and where a coupon is issued, what it
/// offers, and the limits (frequency cap, quiet hours). When several rules match, the highest priority wins.
/// <see cref="HoldoutPercent"/> of the eligible customers (a stable share, see <see cref="HoldoutGroups"/>) get nothing and
/// are the control group; each customer's sales for <see cref="AttributionDays"/> days after the signal are attributed to the rule.
/// </summary>
public sealed record RemarketingRule(
    string Id,
    string Name,
    bool Enabled,
    int Priority,
    RemarketingSignal Signal,
    RuleConditions Conditions,
    int RadiusMeters,
    IReadOnlyList<string> Stores,
    Offer Offer,
    FrequencyCap FrequencyCap,
    QuietHours? QuietHours,
    int HoldoutPercent = 0,
    int AttributionDays = RemarketingRule.DefaultAttributionDays)
{
    public const int DefaultAttributionDays = 7;
    public const int MaxAttributionDays = 30;

    /// <summary>How old a signal may be when it is decided on, in minutes; null: the setting for its kind (<see cref="RemarketingOptions"/>). Online signals only: a geofence entry's age is the setting's.</summary>
    public int? MaxSignalAgeMinutes { get; init; }

    /// <summary>At most this many coupons of the rule are issued per UTC day (every customer together); null: no budget.</summary>
    public int? DailyBudget { get; init; }

    /// <summary>What happens to a push that falls in the quiet hours at the moment of sending.</summary>
    public QuietHoursAtSend AtSendInQuietHours { get; init; }

    /// <summary>
    /// Geofence rules only: the customer must still be near the store this many minutes after entering (no
    /// <c>omni.geofence.exited</c> from them for that store meanwhile) before the rule fires; null: at once.
    /// </summary>
    public int? DwellMinutes { get; init; }

    public const int MaxDwellMinutes = 120;

    /// <summary>Coupons only for a store open at the signal's time and pushes only while it is open (as quiet hours: waits or drops); a store of unknown hours counts as open.</summary>
    public bool OnlyWhenStoreOpen { get; init; }
}
