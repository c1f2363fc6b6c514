using System.Globalization;
using OmniChannel.Core.Events;
using OmniChannel.Core.Profiles;
using OmniChannel.Core.Stores;

namespace OmniChannel.Core.Remarketing;

/// <summary>What a signal says: its kind and time, the SKUs and their categories, the cart's value, and where (a geofence).</summary>
public sealed record SignalFacts(
    RemarketingSignal Signal,
    DateTimeOffset At,
    IReadOnlyList<string> Skus,
    IReadOnlyList<string> Categories,
    decimal? CartValue,
    string? StoreId)
{
    /// <summary>The slots of their daily budget the rules with one have used today (UTC), by rule id; a rule not listed has used none.</summary>
    public IReadOnlyDictionary<string, int>? DailyBudgetUsed { get; init; }
}

/// <summary>What the Customer 360 says about the person: consent, journey stage, recent product views, coupons already issued.</summary>
public sealed record CustomerFacts(
    ConsentState Consent,
    JourneyStage Stage,
    IReadOnlyList<ViewedProduct> RecentViews,
    IReadOnlyList<DateTimeOffset> CouponsIssuedAt);

public sealed record ViewedProduct(string Sku, DateTimeOffset At, string? Category = null);

/// <summary>
/// A store near the customer, with how far it is; the caller passes them nearest first. <c>InStock</c>: the
/// signal's products available there (null: not checked), so a rule for some SKUs passes over a store that has none of them.
/// </summary>
public sealed record StoreCandidate(Store Store, double DistanceMeters, IReadOnlyList<string>? InStock = null);

/// <summary>Why a rule fired or not, as a code (cheap to compare) with the words for people (simulate, logs).</summary>
public enum RuleReason
{
    Fired,
    Disabled,
    OtherSignal,
    NoConsent,
    FrequencyCapReached,
    NoStoreInRadius,
    SkuNotTargeted,
    CategoryNotTargeted,
    CartBelowMinimum,
    JourneyStageNotTargeted,
    NotViewedRecently,
    QuietHours,
    DailyBudgetSpent,
    StoreClosed,
}

/// <summary>One rule's verdict on one signal.</summary>
public sealed record RuleVerdict(string RuleId, string RuleName, RuleReason Reason, string Explanation, string? StoreId)
{
    public bool Fired => Reason == RuleReason.Fired;
}

/// <summary>The rule that fires (the highest priority that matches) and the store its coupon is for.</summary>
public sealed record RuleMatch(RemarketingRule Rule, Store Store, double DistanceMeters);

/// <summary>
/// Decides which remarketing rule fires on a signal. Pure (no I/O, no clock: time comes with the signal) and built for
/// volume: rules are compiled once (SKU and category sets, store sets, time zones), checked cheapest test first, and
/// the words of an explanation are only written when asked for (<see cref="Explain"/>).
/// </summary>
public sealed class RuleEngine
{
    private readonly CompiledRule[] _rules;

    public RuleEngine(IEnumerable<RemarketingRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _rules = rules
            .OrderByDescending(rule => rule.Priority)
            .ThenBy(rule => rule.Id, StringComparer.Ordinal)
            .Select(rule => new CompiledRule(rule))
            .ToArray();
    }

    public int RuleCount => _rules.Length;

    /// <summary>The rule that fires, or null; <paramref name="evaluated"/> counts the rules looked at.</summary>
    public RuleMatch? Decide(SignalFacts signal, CustomerFacts customer, IReadOnlyList<StoreCandidate> stores, out int evaluated)
    {
        ArgumentNullException.ThrowIfNull(signal);
        ArgumentNullException.ThrowIfNull(customer);
        ArgumentNullException.ThrowIfNull(stores);
        evaluated = 0;
        if (customer.Consent != ConsentState.Granted)
        {
            return null;
        }

        foreach (var rule in _rules)
        {
            evaluated++;
            if (Check(rule, signal, customer, stores, out var store) == RuleReason.Fired)
            {
                return new RuleMatch(rule.Rule, store!.Store, store.DistanceMeters);
            }
        }

        return null;
    }

    /// <summary>How many rules match, evaluating every one (no early exit): the volume a rules change puts on a signal stream.</summary>
    public int CountMatches(SignalFacts signal, CustomerFacts customer, IReadOnlyList<StoreCandidate> stores)
    {
        ArgumentNullException.ThrowIfNull(customer);
        if (customer.Consent != ConsentState.Granted)
        {
            return 0;
        }

        var matches = 0;
        foreach (var rule in _rules)
        {
            if (Check(rule, signal, customer, stores, out _) == RuleReason.Fired)
            {
                matches++;
            }
        }

        return matches;
    }

    /// <summary>Every rule's verdict, in priority order; the first that fired is the one <see cref="Decide"/> picks.</summary>
    public IReadOnlyList<RuleVerdict> Explain(SignalFacts signal, CustomerFacts customer, IReadOnlyList<StoreCandidate> stores)
    {
        ArgumentNullException.ThrowIfNull(signal);
        ArgumentNullException.ThrowIfNull(customer);
        ArgumentNullException.ThrowIfNull(stores);
        var verdicts = new List<RuleVerdict>(_rules.Length);
        foreach (var rule in _rules)
        {
            StoreCandidate? store = null;
            var reason = customer.Consent == ConsentState.Granted
                ? Check(rule, signal, customer, stores, out store)
                : RuleReason.NoConsent;
            verdicts.Add(new RuleVerdict(rule.Rule.Id, rule.Rule.Name, reason, Words(reason, rule, signal, customer, stores, store), reason == RuleReason.Fired ? store!.Store.Id : null));
        }

        return verdicts;
    }

    private static RuleReason Check(CompiledRule rule, SignalFacts signal, CustomerFacts customer, IReadOnlyList<StoreCandidate> stores, out StoreCandidate? store)
    {
        store = null;
        var definition = rule.Rule;
        if (!definition.Enabled)
        {
            return RuleReason.Disabled;
        }

        if (definition.Signal != signal.Signal)
        {
            return RuleReason.OtherSignal;
        }

        if (rule.Skus is { } skus && !AnyIn(signal.Skus, skus) && !(signal.Signal == RemarketingSignal.GeofenceEntered && ViewedAny(customer, skus, signal.At, definition.Conditions.ViewedWithinDays)))
        {
            return RuleReason.SkuNotTargeted;
        }

        if (rule.Categories is { } categories && !AnyIn(signal.Categories, categories))
        {
            return RuleReason.CategoryNotTargeted;
        }

        if (definition.Conditions.MinCartValue is { } minimum && (signal.CartValue ?? 0) < minimum)
        {
            return RuleReason.CartBelowMinimum;
        }

        if (rule.Stages != 0 && (rule.Stages & (1 << (int)customer.Stage)) == 0)
        {
            return RuleReason.JourneyStageNotTargeted;
        }

        if (definition.Conditions.ViewedWithinDays is { } days && rule.Skus is null && !ViewedAny(customer, null, signal.At, days))
        {
            return RuleReason.NotViewedRecently;
        }

        if (CouponsWithin(customer, signal.At, definition.FrequencyCap.PerDays) >= definition.FrequencyCap.Coupons)
        {
            return RuleReason.FrequencyCapReached;
        }

        if (definition.DailyBudget is { } budget && BudgetUsed(signal, definition) >= budget)
        {
            return RuleReason.DailyBudgetSpent;
        }

        store = NearestAllowed(rule, stores, signal.At, out var closed);
        if (store is null)
        {
            store = closed;
            return closed is null ? RuleReason.NoStoreInRadius : RuleReason.StoreClosed;
        }

        if (definition.QuietHours is { } quiet && quiet.Contains(LocalTime(signal.At, ZoneOf(store.Store))))
        {
            return RuleReason.QuietHours;
        }

        return RuleReason.Fired;
    }

    /// <summary>
    /// The nearest store in radius the rule may use; for a rule only when the store is open, one open at
    /// <paramref name="at"/>, and <paramref name="closed"/> the nearest it passed over for being closed.
    /// </summary>
    private static StoreCandidate? NearestAllowed(CompiledRule rule, IReadOnlyList<StoreCandidate> stores, DateTimeOffset at, out StoreCandidate? closed)
    {
        closed = null;
        for (var index = 0; index < stores.Count; index++)
        {
            var candidate = stores[index];
            if (candidate.DistanceMeters > rule.Rule.RadiusMeters)
            {
                return null; // nearest first: the rest are farther still
            }

            if ((rule.StoreIds is null || rule.StoreIds.Contains(candidate.Store.Id))
                && (rule.Skus is null || candidate.InStock is null || AnyIn(candidate.InStock, rule.Skus)))
            {
                if (!rule.Rule.OnlyWhenStoreOpen || candidate.Store.IsOpenAt(at))
                {
                    return candidate;
                }

                closed ??= candidate;
            }
        }

        return null;
    }

    private static bool AnyIn(IReadOnlyList<string> values, HashSet<string> wanted)
    {
        for (var index = 0; index < values.Count; index++)
        {
            if (wanted.Contains(values[index]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the customer viewed one of <paramref name="skus"/> (any SKU when null) within the days before <paramref name="at"/>.</summary>
    private static bool ViewedAny(CustomerFacts customer, HashSet<string>? skus, DateTimeOffset at, int? withinDays)
    {
        var since = withinDays is { } days ? at.AddDays(-days) : DateTimeOffset.MinValue;
        foreach (var view in customer.RecentViews)
        {
            if (view.At >= since && view.At <= at && (skus is null || skus.Contains(view.Sku)))
            {
                return true;
            }
        }

        return false;
    }

    private static int CouponsWithin(CustomerFacts customer, DateTimeOffset at, int days)
    {
        var since = at.AddDays(-days);
        var count = 0;
        foreach (var issued in customer.CouponsIssuedAt)
        {
            if (issued > since && issued <= at)
            {
                count++;
            }
        }

        return count;
    }

    private static TimeZoneInfo ZoneOf(Store store) => Zone(store.TimeZone);

    private static TimeOnly LocalTime(DateTimeOffset at, TimeZoneInfo zone) => TimeOnly.FromDateTime(StoreClock.Local(at, zone));

    /// <summary>The time of day at <paramref name="at"/> on the clock of the zone named <paramref name="timeZoneId"/> (UTC when unknown).</summary>
    public static TimeOnly LocalTime(DateTimeOffset at, string? timeZoneId) => LocalTime(at, Zone(timeZoneId));

    /// <summary>The next moment after <paramref name="after"/> when the zone's clock shows <paramref name="time"/>.</summary>
    public static DateTimeOffset NextLocalTime(DateTimeOffset after, TimeOnly time, string? timeZoneId)
    {
        var zone = Zone(timeZoneId);
        var local = TimeZoneInfo.ConvertTime(after, zone);
        var candidate = local.Date + time.ToTimeSpan();
        if (candidate <= local.DateTime)
        {
            candidate = candidate.AddDays(1);
        }

        return StoreClock.Instant(candidate, zone);
    }

    private static TimeZoneInfo Zone(string? timeZoneId) => StoreClock.Zone(timeZoneId);

    private static string Words(RuleReason reason, CompiledRule rule, SignalFacts signal, CustomerFacts customer, IReadOnlyList<StoreCandidate> stores, StoreCandidate? store)
    {
        var definition = rule.Rule;
        var conditions = definition.Conditions;
        return reason switch
        {
            RuleReason.Fired => Invariant($"Fires: coupon for store {store!.Store.Id} ({store.Store.Name}), {store.DistanceMeters:0} m away."),
            RuleReason.Disabled => "The rule is disabled.",
            RuleReason.OtherSignal => Invariant($"The rule listens to {SignalName(definition.Signal)}, not {SignalName(signal.Signal)}."),
            RuleReason.NoConsent => customer.Consent == ConsentState.Revoked
                ? "The customer revoked marketing consent: no coupons."
                : "The customer has not granted marketing consent: no coupons.",
            RuleReason.FrequencyCapReached => Invariant(
                $"Frequency cap reached: {CouponsWithin(customer, signal.At, definition.FrequencyCap.PerDays)} coupon(s) in the last {definition.FrequencyCap.PerDays} day(s), at most {definition.FrequencyCap.Coupons}."),
            RuleReason.DailyBudgetSpent => Invariant(
                $"The rule's daily budget of {definition.DailyBudget} coupon(s) is spent: {BudgetUsed(signal, definition)} issued today (UTC)."),
            RuleReason.NoStoreInRadius => stores.Count == 0
                ? "No store location is known for this signal."
                : Invariant($"No store {(definition.Stores.Count > 0 ? "of the rule's stores " : string.Empty)}within {definition.RadiusMeters} m (nearest: {stores[0].Store.Id}, {stores[0].DistanceMeters:0} m)."),
            RuleReason.SkuNotTargeted => Invariant($"None of the signal's SKUs{(signal.Signal == RemarketingSignal.GeofenceEntered ? " or the customer's recent views" : string.Empty)} is among {string.Join(", ", conditions.Skus)}."),
            RuleReason.CategoryNotTargeted => Invariant($"None of the signal's categories is among {string.Join(", ", conditions.Categories)}."),
            RuleReason.CartBelowMinimum => Invariant($"The cart is worth {signal.CartValue ?? 0:0.00}, below the minimum {conditions.MinCartValue:0.00}."),
            RuleReason.JourneyStageNotTargeted => Invariant($"The customer is at journey stage {customer.Stage}, not one of {string.Join(", ", conditions.JourneyStages)}."),
            RuleReason.NotViewedRecently => Invariant($"The customer viewed no product in the last {conditions.ViewedWithinDays} day(s)."),
            RuleReason.QuietHours => Invariant(
                $"Quiet hours {definition.QuietHours!.From:HH\\:mm}–{definition.QuietHours.To:HH\\:mm} at store {store!.Store.Id}: it is {LocalTime(signal.At, ZoneOf(store.Store)):HH\\:mm} there ({store.Store.TimeZone})."),
            RuleReason.StoreClosed => Closed(store!.Store, signal.At),
            _ => reason.ToString(),
        };
    }

    /// <summary>"Store 0042 (Chicago Mall) is closed at 22:10 on its clock (opens 09:00)."; the weekday too when it opens on another day.</summary>
    public static string Closed(Store store, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(store);
        var zone = ZoneOf(store);
        var local = StoreClock.Local(at, zone);
        var opens = store.OpeningHours?.NextOpeningAfter(at, store.TimeZone) is { } next ? StoreClock.Local(next, zone) : (DateTime?)null;
        var when = opens is not { } time ? "no opening hours in the week"
            : time.Date == local.Date ? Invariant($"opens {time:HH\\:mm}")
            : Invariant($"opens {time.DayOfWeek} {time:HH\\:mm}");
        return Invariant($"Store {store.Id} ({store.Name}) is closed at {local:HH\\:mm} on its clock ({when}).");
    }

    private static int BudgetUsed(SignalFacts signal, RemarketingRule rule) => signal.DailyBudgetUsed?.GetValueOrDefault(rule.Id) ?? 0;

    public static string SignalName(RemarketingSignal signal) => signal switch
    {
        RemarketingSignal.GeofenceEntered => "geofence.entered",
        RemarketingSignal.ProductViewed => "product.viewed",
        _ => "cart.abandoned",
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>A rule with its lookups built once: null sets mean "any".</summary>
    private sealed class CompiledRule
    {
        public CompiledRule(RemarketingRule rule)
        {
            Rule = rule;
            Skus = rule.Conditions.Skus.Count > 0 ? rule.Conditions.Skus.ToHashSet(StringComparer.Ordinal) : null;
            Categories = rule.Conditions.Categories.Count > 0 ? rule.Conditions.Categories.ToHashSet(StringComparer.OrdinalIgnoreCase) : null;
            StoreIds = rule.Stores.Count > 0 ? rule.Stores.ToHashSet(StringComparer.Ordinal) : null;
            Stages = rule.Conditions.JourneyStages.Aggregate(0, (mask, stage) => mask | (1 << (int)stage));
        }

        public RemarketingRule Rule { get; }

        public HashSet<string>? Skus { get; }

        public HashSet<string>? Categories { get; }

        public HashSet<string>? StoreIds { get; }

        /// <summary>The journey stages as a bit mask (0: any).</summary>
        public int Stages { get; }
    }
}
