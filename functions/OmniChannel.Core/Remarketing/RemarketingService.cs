using System.Security.Cryptography;
using OmniChannel.Core.Customers;
using OmniChannel.Core.Events;
using OmniChannel.Core.Geo;
using OmniChannel.Core.Insights;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Profiles;
using OmniChannel.Core.Stores;

namespace OmniChannel.Core.Remarketing;

/// <summary>A signal as the remarketing workflow receives it (small: the facts are read fresh by its steps).</summary>
public sealed record RemarketingInput(
    string CustomerId,
    string EventKey,
    RemarketingSignal Signal,
    DateTimeOffset At,
    IReadOnlyList<string> Skus,
    decimal? CartValue,
    string? StoreId,
    double? Latitude,
    double? Longitude,
    IReadOnlyList<string>? Categories = null)
{
    /// <summary>How long the workflow waited, after the geofence entry, to see whether the customer stayed (a rule's dwell time); 0: not yet.</summary>
    public int DwelledMinutes { get; init; }

    /// <summary>When the signal counts as given: the entry, or the end of the dwell the workflow waited for.</summary>
    public DateTimeOffset EffectiveAt => At.AddMinutes(DwelledMinutes);
}

/// <summary>The coupon a rule grants: which rule, at which store (the nearest in radius with the product in stock), for which product.</summary>
public sealed record RemarketingGrant(string RuleId, string RuleName, string StoreId, string StoreName, string? Sku, Offer Offer, string? StoreTimeZone = null);

/// <summary>
/// Whether a signal earns a coupon, and why (or why not). <see cref="HeldOut"/> is set when a rule would have fired but
/// the customer is in its holdout (or the global control group): then there is no grant, nothing is issued or sent.
/// </summary>
public sealed record RemarketingDecision(RemarketingGrant? Grant, string Reason, HeldOutDecision? HeldOut = null)
{
    /// <summary>
    /// Set when the rule that matches has a dwell time not waited yet: nothing is decided (no grant, no control group);
    /// the workflow waits until the entry's time plus <see cref="DwellWait.Minutes"/> and decides again.
    /// </summary>
    public DwellWait? Dwell { get; init; }

    public bool Fires => Grant is not null;
}

/// <summary>The rule that wants the customer to stay near the store for <see cref="Minutes"/> before it fires.</summary>
public sealed record DwellWait(string RuleId, string RuleName, string StoreId, int Minutes);

/// <summary>The rule that would have fired, and the control group that held the customer out (<see cref="Global"/>: the global one).</summary>
public sealed record HeldOutDecision(string RuleId, string RuleName, int Percent, bool Global);

/// <summary>
/// Store-proximity remarketing, the steps that touch the world: which signals may earn a coupon, the decision (the
/// customer's consent, journey and recent views, the coupons they already have, marketing's rules, and the nearest
/// stores that have the product), issuing a coupon with an unguessable code, redeeming it from a POS sale (at most
/// once), and expiring it. The <see cref="RuleEngine"/> decides; this class gathers its facts.
/// </summary>
public sealed class RemarketingService(
    IRuleStore rules,
    CustomerJourney journey,
    ICouponLedger coupons,
    IStoreDirectory stores,
    IInventoryStore inventory,
    TimeProvider clock,
    InsightsCounters insights,
    IAttributionStore attribution,
    RemarketingOptions options)
{

    /// <summary>How many nearest stores are checked for stock.</summary>
    public const int StoresChecked = 10;

    /// <summary>How far back issued coupons count for frequency caps (the longest cap window a rule may have).</summary>
    public static readonly TimeSpan CapHorizon = TimeSpan.FromDays(365);

    private const string CodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>
    /// The workflow's input for a signal event on behalf of <paramref name="customerId"/> (the person its identities
    /// resolved to), or null for an event that is not a signal. <see cref="MayFireAsync"/> does not look at the
    /// customer, so a signal can be checked with an input for <see cref="Unresolved"/> before its person is resolved.
    /// </summary>
    public static RemarketingInput? InputFor(OmniEvent omniEvent, string customerId)
    {
        ArgumentNullException.ThrowIfNull(omniEvent);
        ArgumentNullException.ThrowIfNull(customerId);
        return omniEvent.Payload switch
        {
            GeofenceEntered geofence => new(customerId, omniEvent.Key, RemarketingSignal.GeofenceEntered, omniEvent.Time, [], null, geofence.StoreId, geofence.Lat, geofence.Lon),
            ProductViewed viewed => new(customerId, omniEvent.Key, RemarketingSignal.ProductViewed, omniEvent.Time, [viewed.Sku], null, viewed.StoreId, null, null,
                viewed.Category is { } category ? [category] : null),
            CartAbandoned cart => new(customerId, omniEvent.Key, RemarketingSignal.CartAbandoned, omniEvent.Time, cart.Skus, null, null, null, null),
            _ => null,
        };
    }

    /// <summary>The customer id of an input whose person is not resolved yet (only for <see cref="MayFireAsync"/>).</summary>
    public const string Unresolved = "";

    /// <summary>
    /// Whether any enabled rule could fire on this input (cheap: no customer or stock reads), so a workflow is worth
    /// starting. Reads the rules at most every <see cref="RuleSnapshotAge"/>: ingest sees a rule change that late.
    /// </summary>
    public async Task<bool> MayFireAsync(RemarketingInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        foreach (var rule in await EnabledRulesAsync(cancellationToken))
        {
            if (rule.Signal == input.Signal
                && (rule.Conditions.Skus.Count == 0 || input.Signal == RemarketingSignal.GeofenceEntered || input.Skus.Any(rule.Conditions.Skus.Contains)))
            {
                return true;
            }
        }

        return false;
    }

    public static readonly TimeSpan RuleSnapshotAge = TimeSpan.FromSeconds(10);

    private RuleSnapshot? _snapshot;

    private sealed record RuleSnapshot(DateTimeOffset ReadAt, IReadOnlyList<RemarketingRule> All);

    private async Task<IReadOnlyList<RemarketingRule>> EnabledRulesAsync(CancellationToken cancellationToken) =>
        (await AllRulesAsync(cancellationToken)).Where(rule => rule.Enabled).ToList();

    /// <summary>Every rule (switched off too: its open windows still collect sales), read at most every <see cref="RuleSnapshotAge"/>.</summary>
    private async Task<IReadOnlyList<RemarketingRule>> AllRulesAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (Volatile.Read(ref _snapshot) is { } snapshot && now - snapshot.ReadAt < RuleSnapshotAge)
        {
            return snapshot.All;
        }

        var all = (await rules.ListAsync(cancellationToken)).Select(stored => stored.Value).ToList();
        Volatile.Write(ref _snapshot, new RuleSnapshot(now, all));
        return all;
    }

    /// <summary>Whether any rule exists (from the snapshot), so a sale may have a window to be attributed to.</summary>
    public async Task<bool> HasRulesAsync(CancellationToken cancellationToken) => (await AllRulesAsync(cancellationToken)).Count > 0;

    /// <summary>
    /// A POS sale of the customer: added to every rule's attribution window of theirs that covers it (treated or held
    /// out), once per sale however often it is delivered, and shown on the Customer 360 with the rule that earned it.
    /// <paramref name="redeemedRuleId"/> is the rule whose coupon this sale redeemed, if any.
    /// </summary>
    public async Task AttributeSaleAsync(string customerId, string saleKey, DateTimeOffset at, decimal amount, string? redeemedRuleId, CancellationToken cancellationToken)
    {
        // The rules as stored now, not the snapshot: a rule created seconds ago can already have windows open (its
        // decisions read the rules fresh), and a sale missed here is never attributed later.
        foreach (var rule in (await rules.ListAsync(cancellationToken)).Select(stored => stored.Value))
        {
            var sale = new SaleForAttribution(saleKey, at, amount, rule.Id == redeemedRuleId);
            if (await attribution.AttributeAsync(rule.Id, customerId, sale, cancellationToken) is { } window)
            {
                await journey.RecordAttributionAsync(customerId, new SaleAttribution(saleKey, rule.Id, window.Group, at, amount), cancellationToken);
            }
        }
    }

    public async Task<RemarketingDecision> DecideAsync(RemarketingInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var active = (await rules.ListAsync(cancellationToken)).Select(stored => stored.Value).Where(rule => rule.Enabled && rule.Signal == input.Signal).ToList();
        if (active.Count == 0)
        {
            return new RemarketingDecision(null, $"No enabled rule listens to {RuleEngine.SignalName(input.Signal)}.");
        }

        // Judged now, not at the signal's time: a late signal (parked, or from a phone that was offline) is stale. After a
        // dwell the signal counts from the dwell's end, when the customer was (still) there.
        var age = clock.GetUtcNow() - input.EffectiveAt;
        var fresh = active.Where(rule => age <= MaxSignalAge(rule)).ToList();
        if (fresh.Count == 0)
        {
            return new RemarketingDecision(null, string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"The signal is {age.TotalMinutes:0} min old; {RuleEngine.SignalName(input.Signal)} signals fire for {MaxSignalAge(active[0]).TotalMinutes:0} min at most."));
        }

        active = fresh;

        if (await FactsAsync(input, active, cancellationToken) is not { } facts)
        {
            return new RemarketingDecision(null, "The customer has no Customer 360 yet.");
        }

        if (input.DwelledMinutes > 0 && LeftDuringDwell(facts.Profile, input) is { } left)
        {
            return new RemarketingDecision(null, string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"The customer left the area of store {input.StoreId} {(left.Time - input.At).TotalMinutes:0} min after entering it, before the {input.DwelledMinutes} min dwell."));
        }

        var engine = new RuleEngine(active);
        var stores = facts.Candidates;
        var match = engine.Decide(facts.Signal, facts.Customer, stores, out _);
        if (match is null)
        {
            var verdict = Worded(engine.Explain(facts.Signal, facts.Customer, stores).First(), facts, active);
            return new RemarketingDecision(null, $"{verdict.RuleName}: {verdict.Explanation}");
        }

        // Dwell comes before the control group: a customer is held out (or treated) only once they stayed, so both
        // groups are drawn from the same customers.
        if (match.Rule.Signal == RemarketingSignal.GeofenceEntered && match.Rule.DwellMinutes is { } dwell && dwell > input.DwelledMinutes)
        {
            // Near the store whose geofence they entered (the coupon may be for a nearby one that has the product).
            var entered = input.StoreId ?? match.Store.Id;
            return input.DwelledMinutes == 0
                ? new RemarketingDecision(null, $"{match.Rule.Name}: fires if the customer is still near store {entered} after {dwell} min.")
                {
                    Dwell = new DwellWait(match.Rule.Id, match.Rule.Name, entered, dwell),
                }
                : new RemarketingDecision(null, $"{match.Rule.Name}: wants the customer near the store for {dwell} min; the workflow waited {input.DwelledMinutes} min (the rule changed meanwhile).");
        }

        // The product the coupon is for: one the rule targets (any, for a rule of no SKUs) that the store has.
        if (HeldOutBy(match.Rule, input.CustomerId) is { } heldOut)
        {
            // The control group: recorded as "would have fired", so its purchases can be compared with the treated group's.
            await attribution.OpenAsync(WindowFor(match.Rule, input, AttributionGroup.HeldOut), cancellationToken);
            var group = heldOut.Global
                ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"global control group, {heldOut.Percent} %")
                : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"rule {match.Rule.Id}, {heldOut.Percent} %");
            return new RemarketingDecision(null, $"{match.Rule.Name}: would have fired: held out ({group}); nothing issued or sent.", heldOut);
        }

        var sku = facts.Candidates.First(candidate => candidate.Store.Id == match.Store.Id).InStock?
            .FirstOrDefault(inStock => match.Rule.Conditions.Skus.Count == 0 || match.Rule.Conditions.Skus.Contains(inStock));
        return new RemarketingDecision(
            new RemarketingGrant(match.Rule.Id, match.Rule.Name, match.Store.Id, match.Store.Name, sku, match.Rule.Offer, match.Store.TimeZone),
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{match.Rule.Name}: coupon for store {match.Store.Id}, {match.DistanceMeters:0} m away."));
    }

    /// <summary>The customer's exit from the entered store's geofence within the dwell, if the Customer 360 has one.</summary>
    private static ActivityEntry? LeftDuringDwell(CustomerProfile profile, RemarketingInput input) =>
        profile.RecentActivity.FirstOrDefault(entry =>
            entry.Type == EventTypes.GeofenceExited && entry.StoreId == input.StoreId && entry.Time >= input.At && entry.Time <= input.EffectiveAt);

    /// <summary>How old a signal may be for the rule: the setting for geofence entries; the rule's own age, or the setting, for online ones.</summary>
    public TimeSpan MaxSignalAge(RemarketingRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return rule.Signal == RemarketingSignal.GeofenceEntered
            ? options.MaxGeofenceSignalAge
            : rule.MaxSignalAgeMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : options.MaxOnlineSignalAge;
    }

    /// <summary>
    /// The check at the moment of sending an issued coupon's push: the customer's consent now (withdrawn: never sent,
    /// the coupon voided), the rule's quiet hours now on the store's clock (the rule waits for their end while the
    /// coupon is still valid then, or drops it), for a rule only when the store is open the store's hours now (waits for
    /// the opening or drops, alike), and that the coupon is still issued. The cap needs no second look: it
    /// was checked and taken atomically when the coupon was issued.
    /// </summary>
    public async Task<SendCheck> CheckSendAsync(SendCheckRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await coupons.GetAsync(request.Code, cancellationToken) is not { State: CouponState.Issued } coupon)
        {
            return new SendCheck(SendVerdict.Withhold, $"Coupon {request.Code} is no longer issued: not sent.");
        }

        var profile = await journey.FindAsync(request.CustomerId, cancellationToken);
        if (profile?.MarketingConsent != ConsentState.Granted)
        {
            await ExpireAsync(request.Code, cancellationToken);
            return new SendCheck(SendVerdict.Withhold, $"Consent to marketing was withdrawn after coupon {request.Code} was issued: not sent, the coupon voided.");
        }

        var rule = (await rules.GetAsync(request.RuleId, cancellationToken))?.Value;
        var now = clock.GetUtcNow();
        if (rule?.QuietHours is { } quiet && quiet.Contains(RuleEngine.LocalTime(now, request.StoreTimeZone)))
        {
            return await WaitOrWithholdAsync(rule, coupon, now, RuleEngine.NextLocalTime(now, quiet.To, request.StoreTimeZone),
                Invariant($"Quiet hours at the store until {quiet.To:HH\\:mm}: the push waits."),
                Invariant($"Quiet hours at the store ({quiet.From:HH\\:mm}–{quiet.To:HH\\:mm}) when the push was due: not sent, the coupon voided."),
                cancellationToken);
        }

        if (rule is { OnlyWhenStoreOpen: true }
            && await stores.GetAsync(coupon.StoreId, cancellationToken) is { } store
            && !store.IsOpenAt(now))
        {
            var closed = RuleEngine.Closed(store, now);
            return await WaitOrWithholdAsync(rule, coupon, now, store.OpeningHours?.NextOpeningAfter(now, store.TimeZone),
                $"{closed} The push waits.",
                $"{closed} The rule sends only while the store is open: not sent, the coupon voided.",
                cancellationToken);
        }

        return new SendCheck(SendVerdict.Send, "Consent granted and outside quiet hours at the store: sent.");
    }

    /// <summary>
    /// A push due while the rule may not send: it waits until <paramref name="resumesAt"/> when the rule waits and the
    /// coupon is still valid then; otherwise it is not sent and the coupon is voided.
    /// </summary>
    private async Task<SendCheck> WaitOrWithholdAsync(RemarketingRule rule, Coupon coupon, DateTimeOffset now, DateTimeOffset? resumesAt, string waits, string withheld, CancellationToken cancellationToken)
    {
        if (rule.AtSendInQuietHours == QuietHoursAtSend.Wait && resumesAt is { } resumes && resumes < coupon.ExpiresAt)
        {
            return new SendCheck(SendVerdict.Wait, waits, resumes - now);
        }

        await ExpireAsync(coupon.Code, cancellationToken);
        return new SendCheck(SendVerdict.Withhold, withheld);
    }

    private static string Invariant(FormattableString text) => text.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The control group that holds the customer out of the rule: the global one first, then the rule's own; null when treated.</summary>
    private HeldOutDecision? HeldOutBy(RemarketingRule rule, string customerId) =>
        HoldoutGroups.InGlobalControl(customerId, options.GlobalControlPercent) ? new HeldOutDecision(rule.Id, rule.Name, options.GlobalControlPercent, Global: true)
        : HoldoutGroups.IsHeldOut(customerId, rule.Id, rule.HoldoutPercent) ? new HeldOutDecision(rule.Id, rule.Name, rule.HoldoutPercent, Global: false)
        : null;

    /// <summary>The attribution window a signal opens: its own time (the same for both groups, so they compare) plus the rule's days.</summary>
    private static AttributionWindow WindowFor(RemarketingRule rule, RemarketingInput input, AttributionGroup group) =>
        new(rule.Id, input.CustomerId, group, input.At, input.At.AddDays(rule.AttributionDays));

    /// <summary>
    /// What <paramref name="rule"/> (as if enabled, alone) says about a past signal, with today's facts about the
    /// customer and the stock: the simulation marketing runs before switching a rule on. Issues nothing.
    /// </summary>
    public async Task<RuleVerdict> ExplainAsync(RemarketingInput input, RemarketingRule rule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(rule);
        var asEnabled = rule with { Enabled = true };
        if (await FactsAsync(input, [asEnabled], cancellationToken) is not { } facts)
        {
            return new RuleVerdict(rule.Id, rule.Name, RuleReason.NoConsent, "The customer has no Customer 360 (so no consent on record).", null);
        }

        return Worded(new RuleEngine([asEnabled]).Explain(facts.Signal, facts.Customer, facts.Candidates)[0], facts, [asEnabled]);
    }

    /// <summary><c>Skus</c>: the products the stock was checked for; <c>Located</c>: whether the signal had a place to measure from.</summary>
    private sealed record Facts(SignalFacts Signal, CustomerFacts Customer, List<StoreCandidate> Candidates, IReadOnlyList<string> Skus, bool Located, CustomerProfile Profile);

    /// <summary>
    /// The engine sees only the stores in radius with stock, so with none it cannot tell "nothing nearby" from "no
    /// location known": when the signal was located, say what is missing instead.
    /// </summary>
    private static RuleVerdict Worded(RuleVerdict verdict, Facts facts, IReadOnlyList<RemarketingRule> rules)
    {
        if (verdict.Reason != RuleReason.NoStoreInRadius || !facts.Located || facts.Candidates.Count > 0)
        {
            return verdict;
        }

        var radius = rules.First(rule => rule.Id == verdict.RuleId).RadiusMeters;
        return verdict with
        {
            Explanation = facts.Skus.Count == 0
                ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"No store within {radius} m.")
                : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"No store within {radius} m has {string.Join(" or ", facts.Skus)} available."),
        };
    }

    private async Task<Facts?> FactsAsync(RemarketingInput input, IReadOnlyList<RemarketingRule> candidatesFor, CancellationToken cancellationToken)
    {
        var profile = await journey.FindAsync(input.CustomerId, cancellationToken);
        if (profile is null)
        {
            return null;
        }

        var customer = await CustomerFactsAsync(profile, input.CustomerId, input.EffectiveAt, cancellationToken);
        var skus = TargetSkus(input, customer);
        var (candidates, located) = await StoresWithStockAsync(input, profile, skus, candidatesFor.Max(rule => rule.RadiusMeters), cancellationToken);
        var signal = new SignalFacts(input.Signal, input.EffectiveAt, input.Skus, Categories(input, customer), input.CartValue, input.StoreId)
        {
            DailyBudgetUsed = await DailyBudgetUsedAsync(candidatesFor, cancellationToken),
        };
        return new Facts(signal, customer, candidates, skus, located, profile);
    }

    /// <summary>Today's (UTC, the day the ledger counts an issue now) used budget of each rule that has one: a read per such rule.</summary>
    private async Task<Dictionary<string, int>> DailyBudgetUsedAsync(IReadOnlyList<RemarketingRule> candidatesFor, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var used = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var rule in candidatesFor.Where(rule => rule.DailyBudget is not null))
        {
            used[rule.Id] = await coupons.DailyBudgetUsedAsync(rule.Id, today, cancellationToken);
        }

        return used;
    }

    /// <summary>
    /// Issues the granted coupon unless consent was revoked meanwhile (then never), the cap filled up meanwhile (the
    /// ledger checks the cap and records the coupon in one atomic step, so concurrent signals of one customer never
    /// pass a cap together) or the rule's daily budget is spent (taken atomically too, so concurrent issues of the
    /// rule never pass it together); a repeat for the same instance answers the coupon it issued before, whatever crash came
    /// between its writes, and mints no second code.
    /// </summary>
    public async Task<Coupon?> IssueAsync(RemarketingInput input, RemarketingGrant grant, string instanceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(grant);
        if (await coupons.FindByInstanceAsync(input.CustomerId, instanceId, cancellationToken) is { } issued)
        {
            // Issued by an earlier attempt that may have stopped before its code row or its 360 entry: finish both
            // (each idempotent), without counting it again.
            var stands = (await coupons.IssueAsync(issued, cap: null, dailyBudget: null, cancellationToken)).Coupon ?? issued;
            if ((await rules.GetAsync(grant.RuleId, cancellationToken))?.Value is { } issuedBy)
            {
                await attribution.OpenAsync(WindowFor(issuedBy, input, AttributionGroup.Treated), cancellationToken);
            }

            await journey.RecordCouponAsync(stands, cancellationToken);
            return stands;
        }

        var profile = await journey.FindAsync(input.CustomerId, cancellationToken);
        if (profile?.MarketingConsent != ConsentState.Granted)
        {
            return null;
        }

        var rule = (await rules.GetAsync(grant.RuleId, cancellationToken))?.Value;
        var now = clock.GetUtcNow();
        if (rule is null || !rule.Enabled)
        {
            return null;
        }

        var coupon = new Coupon(NewCode(), input.CustomerId, grant.RuleId, grant.StoreId, grant.Sku, grant.Offer, now, now.AddHours(grant.Offer.ValidHours), CouponState.Issued, instanceId);
        var result = await coupons.IssueAsync(coupon, rule.FrequencyCap, rule.DailyBudget, cancellationToken);
        if (result.Outcome != IssueOutcome.Issued)
        {
            // Full cap or the rule's daily budget spent: nothing issued. Issued by a concurrent attempt of this
            // instance: that one counts and records it.
            return result.Coupon;
        }

        // Before the journey write: a retry of this step finds the coupon issued above and returns without counting again.
        await insights.CouponIssuedAsync(coupon, cancellationToken);
        await attribution.OpenAsync(WindowFor(rule, input, AttributionGroup.Treated), cancellationToken);
        await journey.RecordCouponAsync(coupon, cancellationToken);
        return coupon;
    }

    /// <summary>
    /// A sale with a coupon code: redeems it (at most once, also when two sales race; idempotent by
    /// <paramref name="saleId"/>) and answers the outcome with the coupon, so the caller can tell the coupon's workflow.
    /// The checks of who may use it are <see cref="CouponTill"/>'s.
    /// </summary>
    public async Task<(RedeemOutcome Outcome, Coupon? Coupon)> RedeemAsync(string code, string saleId, string storeId, decimal saleTotal, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var before = await coupons.GetAsync(code, cancellationToken);
        var (outcome, coupon) = await coupons.RedeemAsync(code, saleId, storeId, saleTotal, at, cancellationToken);
        if (outcome == RedeemOutcome.Redeemed)
        {
            // Counted when this sale's write changed the coupon (a repeat of the sale finds it redeemed already); the 360
            // write is idempotent and is made on a repeat too, in case the first attempt stopped before it.
            if (before?.State != CouponState.Redeemed)
            {
                await insights.CouponRedeemedAsync(coupon!, cancellationToken);
            }

            await journey.RecordCouponAsync(coupon!, cancellationToken);
        }

        return (outcome, coupon);
    }

    /// <summary>The coupon ran out unused (a redeemed one stays redeemed); the Customer 360 shows where it ended.</summary>
    public async Task<Coupon?> ExpireAsync(string code, CancellationToken cancellationToken)
    {
        await coupons.ExpireAsync(code, cancellationToken);
        var coupon = await coupons.GetAsync(code, cancellationToken);
        if (coupon is not null)
        {
            await journey.RecordCouponAsync(coupon, cancellationToken);
        }

        return coupon;
    }

    /// <summary>A code like <c>OC-7KQ2-M9XD-4T</c>: 50 random bits from a cryptographic source, without look-alike letters.</summary>
    public static string NewCode()
    {
        Span<char> chars = stackalloc char[10];
        for (var index = 0; index < chars.Length; index++)
        {
            chars[index] = CodeAlphabet[RandomNumberGenerator.GetInt32(CodeAlphabet.Length)];
        }

        return $"OC-{chars[..4]}-{chars[4..8]}-{chars[8..]}";
    }

    private async Task<CustomerFacts> CustomerFactsAsync(CustomerProfile profile, string customerId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var views = profile.RecentActivity
            .Where(entry => entry.Sku is not null && entry.Type == EventTypes.ProductViewed)
            .Select(entry => new ViewedProduct(entry.Sku!, entry.Time, entry.Category))
            .ToList();
        var issued = (await coupons.ForCustomerAsync(customerId, at - CapHorizon, cancellationToken)).Select(coupon => coupon.IssuedAt).ToList();
        return new CustomerFacts(profile.MarketingConsent, profile.Stage, views, issued);
    }

    /// <summary>The signal's categories; walking past a store, those of the products viewed lately.</summary>
    private static IReadOnlyList<string> Categories(RemarketingInput input, CustomerFacts customer) =>
        input.Signal == RemarketingSignal.GeofenceEntered
            ? customer.RecentViews.Where(view => view.Category is not null).Select(view => view.Category!).Distinct(StringComparer.OrdinalIgnoreCase).ToList()
            : input.Categories ?? [];

    /// <summary>The products the coupon could be for: the signal's own, or (walking past a store) what the customer viewed lately, newest first.</summary>
    private static IReadOnlyList<string> TargetSkus(RemarketingInput input, CustomerFacts customer) =>
        input.Skus.Count > 0
            ? input.Skus
            : customer.RecentViews.OrderByDescending(view => view.At).Select(view => view.Sku).Distinct(StringComparer.Ordinal).Take(5).ToList();

    /// <summary>
    /// The nearest stores (to the geofence, or to the customer's usual store for an online signal) within the widest
    /// rule radius that have one of the products available, nearest first, each with the products it has (so a rule
    /// for some SKUs picks a store that has one of those).
    /// </summary>
    private async Task<(List<StoreCandidate> Candidates, bool Located)> StoresWithStockAsync(
        RemarketingInput input, CustomerProfile profile, IReadOnlyList<string> skus, int maxRadius, CancellationToken cancellationToken)
    {
        var directory = await stores.ListAsync(cancellationToken);
        (double Lat, double Lon)? origin = input.Latitude is { } lat && input.Longitude is { } lon
            ? (lat, lon)
            : directory.FirstOrDefault(store => store.Id == (input.StoreId ?? profile.LastStoreId)) is { } usual ? (usual.Latitude, usual.Longitude) : null;
        if (origin is null)
        {
            return ([], false);
        }

        var nearest = directory
            .Select(store => new StoreCandidate(store, GeoDistance.Meters(origin.Value.Lat, origin.Value.Lon, store.Latitude, store.Longitude)))
            .Where(candidate => candidate.DistanceMeters <= maxRadius)
            .OrderBy(candidate => candidate.DistanceMeters)
            .Take(StoresChecked)
            .ToList();
        var withStock = new List<StoreCandidate>();
        foreach (var candidate in nearest)
        {
            if (skus.Count == 0)
            {
                withStock.Add(candidate);
                continue;
            }

            var inStock = new List<string>();
            foreach (var sku in skus)
            {
                if ((await inventory.ReadAsync(candidate.Store.Id, sku, cancellationToken))?.Value.Available > 0)
                {
                    inStock.Add(sku);
                }
            }

            if (inStock.Count > 0)
            {
                withStock.Add(candidate with { InStock = inStock });
            }
        }

        return (withStock, true);
    }
}
