using System.Globalization;
using OmniChannel.Core.Events;
using OmniChannel.Core.Identity;

namespace OmniChannel.Core.Profiles;

/// <summary>
/// Applies events to a Customer 360 and merges two profiles of one person. Every effect is idempotent and insensitive to
/// arrival order by construction, with no memory of applied events: sets grow, lists are ordered by (time, key) and
/// bounded, "latest" values are taken by (time, key), and the journey is replayed from its moves in time order
/// (<see cref="JourneyLog"/>). So a redelivery hours later changes nothing, and any arrival order of one person's events
/// gives the same stage, last channel and last store (a property test checks both).
/// </summary>
public static class ProfileProjector
{
    public const int RecentActivityLimit = 20;
    public const int OpenOrderLimit = 50;
    public const int MergeRecordLimit = 50;
    public const int DecisionLimit = 20;

    /// <summary>Applies one event; answers false when it changed nothing (it was applied before, or is older than what the profile keeps).</summary>
    public static bool Apply(CustomerProfile profile, OmniEvent omniEvent)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(omniEvent);
        var changed = AddIdentities(profile, omniEvent.Identities);
        if (profile.CustomerId is null && omniEvent.Identities.CustomerId is { } customerId)
        {
            profile.CustomerId = customerId;
            changed = true;
        }

        var time = omniEvent.Time;
        var key = omniEvent.Key;
        if (profile.FirstSeenAt is null || time < profile.FirstSeenAt)
        {
            profile.FirstSeenAt = time;
            changed = true;
        }

        if (IsLater(time, key, profile.LastSeenAt, profile.LastEventKey))
        {
            profile.LastSeenAt = time;
            profile.LastEventKey = key;
            profile.LastChannel = omniEvent.Channel;
            changed = true;
        }

        if (omniEvent.StoreId is { } storeId && IsLater(time, key, profile.LastStoreAt, profile.LastStoreKey))
        {
            profile.LastStoreId = storeId;
            profile.LastStoreAt = time;
            profile.LastStoreKey = key;
            changed = true;
        }

        if (omniEvent.Payload is ConsentChanged consent)
        {
            foreach (var choice in consent.Choices)
            {
                changed |= ChangeConsent(profile, choice.Purpose, choice.State, time);
            }
        }

        if (JourneyLog.StepOf(omniEvent) is { } step)
        {
            changed |= JourneyLog.Record(StartedJourney(profile), step);
        }

        if (omniEvent.Payload is OrderPlaced order)
        {
            changed |= OpenOrder(profile, new OpenOrder(order.OrderId, FulfilmentText(order.Fulfilment), order.StoreId, order.Total, time));
        }

        changed |= AddActivity(profile.RecentActivity, new ActivityEntry(
            key, omniEvent.Id, omniEvent.Type, time, omniEvent.Channel, omniEvent.StoreId, Summarise(omniEvent.Payload),
            (omniEvent.Payload as ProductViewed)?.Sku, (omniEvent.Payload as ProductViewed)?.Category));
        return changed;
    }

    /// <summary>
    /// A pickup outcome the workflow reports (collected, or given up): the order closes and the journey moves, in its
    /// place in time. Idempotent.
    /// </summary>
    public static bool RecordPickupOutcome(CustomerProfile profile, string orderId, bool collected, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var changed = CloseOrder(profile, orderId, at);
        var move = collected ? JourneyMove.PickupCollected : JourneyMove.PickupClosed;
        changed |= JourneyLog.Record(StartedJourney(profile), new JourneyStep(at, (collected ? "collected:" : "closed:") + orderId, move, orderId));
        return changed;
    }

    /// <summary>What a return in store shows as in the Customer 360's recent activity (it is no channel event).</summary>
    public const string ReturnActivityType = "omni.order.returned";

    /// <summary>
    /// Units of an online order brought back to a store: the Customer 360's recent activity shows the return, in its
    /// place in time, once per return id (the entry's key). Idempotent.
    /// </summary>
    public static bool RecordReturn(CustomerProfile profile, string orderId, Orders.OrderReturn record)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(record);
        var lines = string.Join(", ", record.Lines.Select(line => string.Create(CultureInfo.InvariantCulture, $"{line.Quantity} × {line.Sku}")));
        var summary = string.Create(CultureInfo.InvariantCulture, $"Returned {lines} of order {orderId} at store {record.StoreId}; {record.AmountRefunded:0.00} refunded");
        return AddActivity(profile.RecentActivity, new ActivityEntry(
            $"return:{orderId}/{record.Id}", record.Id, ReturnActivityType, record.RecordedAt, Channels.Pos, record.StoreId, summary));
    }

    /// <summary>
    /// A coupon issued, redeemed or expired, as the Customer 360 lists it (newest issued first, bounded). A late
    /// "issued" never undoes a redemption or an expiry, nor an expiry a redemption; a redemption of an expired coupon
    /// (its sale was made before the expiry) replaces the expiry. Idempotent.
    /// </summary>
    public static bool RecordCoupon(CustomerProfile profile, Remarketing.CouponSummary coupon)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(coupon);
        var coupons = profile.Coupons;
        var index = coupons.FindIndex(existing => existing.Code == coupon.Code);
        if (index >= 0)
        {
            // Issued moves on to redeemed or expired; expired to redeemed (a sale made before the expiry, ingested after
            // it); redeemed is final.
            var moves = coupons[index].State == Remarketing.CouponState.Issued
                        || (coupons[index].State == Remarketing.CouponState.Expired && coupon.State == Remarketing.CouponState.Redeemed);
            if (coupons[index] == coupon || !moves)
            {
                return false;
            }

            coupons[index] = coupon;
            return true;
        }

        coupons.Add(coupon);
        coupons.Sort((left, right) => right.IssuedAt.CompareTo(left.IssuedAt));
        Trim(coupons, Remarketing.CouponSummary.Limit);
        return coupons.Contains(coupon);
    }

    /// <summary>A sale attributed to a rule, once per sale and rule; false when the 360 already shows it.</summary>
    public static bool RecordAttribution(CustomerProfile profile, Remarketing.SaleAttribution attribution)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(attribution);
        var sales = profile.AttributedSales;
        if (sales.Exists(existing => existing.SaleKey == attribution.SaleKey && existing.RuleId == attribution.RuleId))
        {
            return false;
        }

        sales.Add(attribution);
        sales.Sort((left, right) => right.At.CompareTo(left.At));
        Trim(sales, Remarketing.SaleAttribution.Limit);
        return sales.Contains(attribution);
    }

    /// <summary>
    /// A profile stored before the journey was kept as moves has a stage and no moves: that stage becomes the base the
    /// moves replay from.
    /// </summary>
    private static CustomerProfile StartedJourney(CustomerProfile profile)
    {
        if (profile.JourneyBase is null && profile.JourneySteps.Count == 0 && profile.Stage != JourneyStage.Unknown)
        {
            var openPickups = profile.OpenOrders.Where(order => order.Fulfilment == "pickup").Select(order => order.OrderId).ToList();
            var since = profile.StageChangedAt ?? DateTimeOffset.MinValue;
            profile.JourneyBase = new JourneyBase(profile.Stage, profile.ViewsInJourney, openPickups, profile.StageChangedAt, since, string.Empty);
        }

        return profile;
    }

    /// <summary>A purpose's consent takes the latest choice; of two at the same instant, the revocation.</summary>
    private static bool ChangeConsent(CustomerProfile profile, string purpose, ConsentState state, DateTimeOffset time)
    {
        var current = profile.Consents.GetValueOrDefault(purpose);
        var newer = current?.ChangedAt is null || time > current.ChangedAt;
        var tieRevokes = time == current?.ChangedAt && state == ConsentState.Revoked && current.State != ConsentState.Revoked;
        if (!newer && !tieRevokes)
        {
            return false;
        }

        var next = new ConsentRecord(state, time);
        profile.Consents[purpose] = next;
        return next != current;
    }

    /// <summary>Opens an order unless it is open or closed already (a replay), keeping the newest placed first, bounded.</summary>
    private static bool OpenOrder(CustomerProfile profile, OpenOrder order)
    {
        if (HasOrder(profile.OpenOrders, order.OrderId) || profile.ClosedOrders.Exists(closed => closed.OrderId == order.OrderId))
        {
            return false;
        }

        // Older than every closed order remembered: a replay of one whose closing was forgotten, not a new order.
        if (profile.ClosedOrders.Count >= OpenOrderLimit && order.PlacedAt < profile.ClosedOrders[^1].PlacedAt)
        {
            return false;
        }

        profile.OpenOrders.Add(order);
        profile.OpenOrders.Sort((left, right) => right.PlacedAt.CompareTo(left.PlacedAt));
        Trim(profile.OpenOrders, OpenOrderLimit);
        return HasOrder(profile.OpenOrders, order.OrderId);
    }

    /// <summary>Closes an order; one whose placing has not arrived yet is remembered as closed, so it never opens.</summary>
    private static bool CloseOrder(CustomerProfile profile, string orderId, DateTimeOffset at)
    {
        if (profile.ClosedOrders.Exists(closed => closed.OrderId == orderId))
        {
            return false;
        }

        var index = profile.OpenOrders.FindIndex(order => order.OrderId == orderId);
        var placedAt = index >= 0 ? profile.OpenOrders[index].PlacedAt : at;
        if (index >= 0)
        {
            profile.OpenOrders.RemoveAt(index);
        }

        profile.ClosedOrders.Add(new ClosedOrder(orderId, placedAt));
        profile.ClosedOrders.Sort((left, right) => right.PlacedAt.CompareTo(left.PlacedAt));
        Trim(profile.ClosedOrders, OpenOrderLimit);
        return true;
    }

    /// <summary>True if (time, key) comes after (at, atKey): the latest event wins, and of two at the same time the greater key, in any order.</summary>
    private static bool IsLater(DateTimeOffset time, string key, DateTimeOffset? at, string? atKey) =>
        at is null || time > at || (time == at && string.CompareOrdinal(key, atKey) > 0);

    /// <summary>
    /// Folds <paramref name="merged"/> into <paramref name="survivor"/>, records the merge there, and leaves a pointer
    /// behind. Idempotent: merging a copy of the same profile again changes nothing more.
    /// </summary>
    public static void Merge(CustomerProfile survivor, CustomerProfile merged, MergeRecord? record = null)
    {
        // Itself, or a pointer left by this very merge: nothing is left to fold in.
        if (merged.Id == survivor.Id || merged.MergedInto == survivor.Id)
        {
            return;
        }

        foreach (var identity in merged.Identities)
        {
            AddIdentity(survivor, identity);
        }

        AddIdentity(survivor, merged.Id);
        survivor.CustomerId ??= merged.CustomerId;
        MergeConsent(survivor, merged);

        JourneyLog.Merge(StartedJourney(survivor), StartedJourney(merged));

        if (merged.FirstSeenAt is not null && (survivor.FirstSeenAt is null || merged.FirstSeenAt < survivor.FirstSeenAt))
        {
            survivor.FirstSeenAt = merged.FirstSeenAt;
        }

        if (merged.LastSeenAt is { } lastSeen && IsLater(lastSeen, merged.LastEventKey ?? string.Empty, survivor.LastSeenAt, survivor.LastEventKey))
        {
            survivor.LastSeenAt = lastSeen;
            survivor.LastEventKey = merged.LastEventKey;
            survivor.LastChannel = merged.LastChannel;
        }

        if (merged.LastStoreId is not null && IsLater(merged.LastStoreAt ?? DateTimeOffset.MinValue, merged.LastStoreKey ?? string.Empty, survivor.LastStoreAt, survivor.LastStoreKey))
        {
            survivor.LastStoreId = merged.LastStoreId;
            survivor.LastStoreAt = merged.LastStoreAt;
            survivor.LastStoreKey = merged.LastStoreKey;
        }

        foreach (var closed in merged.ClosedOrders)
        {
            if (!survivor.ClosedOrders.Exists(known => known.OrderId == closed.OrderId))
            {
                survivor.OpenOrders.RemoveAll(order => order.OrderId == closed.OrderId);
                survivor.ClosedOrders.Add(closed);
            }
        }

        survivor.ClosedOrders.Sort((left, right) => right.PlacedAt.CompareTo(left.PlacedAt));
        Trim(survivor.ClosedOrders, OpenOrderLimit);
        foreach (var order in merged.OpenOrders)
        {
            OpenOrder(survivor, order);
        }
        foreach (var entry in merged.RecentActivity)
        {
            AddActivity(survivor.RecentActivity, entry);
        }

        foreach (var coupon in merged.Coupons)
        {
            RecordCoupon(survivor, coupon);
        }

        foreach (var attribution in merged.AttributedSales)
        {
            RecordAttribution(survivor, attribution);
        }

        foreach (var earlier in merged.Merges)
        {
            AddMerge(survivor.Merges, earlier);
        }

        if (record is not null)
        {
            AddMerge(survivor.Merges, record);
        }

        foreach (var decision in merged.IdentityDecisions)
        {
            RecordDecision(survivor, decision);
        }

        foreach (var apart in merged.KeptApart)
        {
            if (!survivor.KeptApart.Contains(apart))
            {
                survivor.KeptApart.Add(apart);
            }
        }

        merged.MergedInto = survivor.Id;
        merged.Identities = [];
        merged.RecentActivity = [];
        merged.OpenOrders = [];
        merged.ClosedOrders = [];
        merged.Coupons = [];
        merged.Merges = [];
        merged.IdentityDecisions = [];
        merged.KeptApart = [];
        merged.JourneySteps = [];
        merged.JourneyBase = null;
        merged.Stage = JourneyStage.Unknown;
        merged.StageChangedAt = null;
        merged.ViewsInJourney = 0;
    }

    /// <summary>Keeps an identity rule's decision on the profile (once per event and identifier); true if it was new.</summary>
    public static bool RecordDecision(CustomerProfile profile, IdentityDecision decision)
    {
        foreach (var known in profile.IdentityDecisions)
        {
            if (known.EventKey == decision.EventKey && known.Identity == decision.Identity)
            {
                return false;
            }
        }

        profile.IdentityDecisions.Add(decision);
        profile.IdentityDecisions.Sort((left, right) => right.At.CompareTo(left.At));
        Trim(profile.IdentityDecisions, DecisionLimit);
        return true;
    }

    /// <summary>
    /// A merge never turns consent back on: for each purpose, a revocation on either side wins, stamped with the later of
    /// the two changes, so only a grant given after both reaches the merged person. Otherwise the newer choice wins.
    /// </summary>
    private static void MergeConsent(CustomerProfile survivor, CustomerProfile merged)
    {
        foreach (var (purpose, theirs) in merged.Consents)
        {
            if (theirs.ChangedAt is null)
            {
                continue;
            }

            var ours = survivor.Consents.GetValueOrDefault(purpose);
            if (ours?.ChangedAt is null)
            {
                survivor.Consents[purpose] = theirs;
                continue;
            }

            var latest = theirs.ChangedAt > ours.ChangedAt ? theirs.ChangedAt : ours.ChangedAt;
            var state = theirs.State == ConsentState.Revoked || ours.State == ConsentState.Revoked ? ConsentState.Revoked
                : theirs.ChangedAt > ours.ChangedAt ? theirs.State
                : ours.State;
            survivor.Consents[purpose] = new ConsentRecord(state, latest);
        }
    }

    private static void AddMerge(List<MergeRecord> merges, MergeRecord record)
    {
        if (merges.Exists(known => known.MergeId == record.MergeId))
        {
            return;
        }

        merges.Add(record);
        merges.Sort((left, right) => left.At.CompareTo(right.At));
        if (merges.Count > MergeRecordLimit)
        {
            merges.RemoveRange(0, merges.Count - MergeRecordLimit);
        }
    }

    /// <summary>A one-line description of an event for the Customer 360's recent activity.</summary>
    public static string Summarise(EventPayload payload) => payload switch
    {
        ProductViewed viewed => $"viewed {viewed.Sku}",
        CartItemAdded added => string.Create(CultureInfo.InvariantCulture, $"added {added.Quantity} × {added.Sku} to cart"),
        CartAbandoned abandoned => $"abandoned a cart of {abandoned.Skus.Count} item(s)",
        OrderPlaced order => string.Create(CultureInfo.InvariantCulture, $"placed order {order.OrderId} ({FulfilmentText(order.Fulfilment)}, {order.Total:0.00})"),
        PosSale sale => string.Create(CultureInfo.InvariantCulture, $"bought {sale.Lines.Count} line(s) at store {sale.StoreId} ({sale.Total:0.00})"),
        CustomerIdentified => "signed in / identified",
        GeofenceEntered entered => $"came near store {entered.StoreId}",
        GeofenceExited exited => $"left the area of store {exited.StoreId}",
        ConsentChanged consent => string.Join(", ", consent.Choices.Select(choice => $"{choice.Purpose} consent {choice.State.ToString().ToLowerInvariant()}")),
        InventoryAdjusted adjusted => $"inventory {adjusted.Sku} {adjusted.Delta:+#;-#}",
        _ => "event",
    };

    /// <summary>
    /// Adds the event's identities the profile does not list yet, strongest first. A key text is made only for an
    /// identity added: stitching folds whole timelines of events whose key texts nothing else needs.
    /// </summary>
    private static bool AddIdentities(CustomerProfile profile, IdentitySet identities)
    {
        var added = AddIdentity(profile, IdentityKind.Customer, identities.CustomerId);
        added |= AddIdentity(profile, IdentityKind.Loyalty, identities.LoyaltyId);
        added |= AddIdentity(profile, IdentityKind.Email, identities.EmailHash);
        added |= AddIdentity(profile, IdentityKind.Device, identities.DeviceId);
        foreach (var joined in identities.Joined ?? [])
        {
            added |= AddIdentity(profile, joined.Kind, joined.Value);
        }

        return added;
    }

    private static bool AddIdentity(CustomerProfile profile, IdentityKind kind, string? value)
    {
        if (value is null)
        {
            return false;
        }

        foreach (var listed in profile.Identities)
        {
            if (IdentityKey.IsText(listed, kind, value))
            {
                return false;
            }
        }

        profile.Identities.Add(new IdentityKey(kind, value).ToString());
        return true;
    }

    private static void AddIdentity(CustomerProfile profile, string identity)
    {
        if (!profile.Identities.Contains(identity))
        {
            profile.Identities.Add(identity);
        }
    }

    /// <summary>
    /// Keeps the entry among the newest <see cref="RecentActivityLimit"/>, ordered by time and then key (newest first),
    /// so the list is the same in any arrival order; true if it is there now and was not before.
    /// </summary>
    private static bool AddActivity(List<ActivityEntry> activity, ActivityEntry entry)
    {
        // Loops rather than Exists/FindIndex: a lambda capturing the entry would cost two objects per event.
        var index = activity.Count;
        for (var position = activity.Count - 1; position >= 0; position--)
        {
            if (activity[position].EventKey == entry.EventKey)
            {
                return false;
            }

            if (IsLater(entry.Time, entry.EventKey, activity[position].Time, activity[position].EventKey))
            {
                // Newest first: the entry goes before the first (newest) one older than itself.
                index = position;
            }
        }

        if (index >= RecentActivityLimit)
        {
            return false;
        }

        activity.Insert(index, entry);
        Trim(activity, RecentActivityLimit);
        return true;
    }

    private static bool HasOrder(List<OpenOrder> orders, string orderId)
    {
        foreach (var open in orders)
        {
            if (open.OrderId == orderId)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The fulfilment as the documents spell it (<c>ship</c>, <c>pickup</c>), without a new string per order.</summary>
    private static string FulfilmentText(Fulfilment fulfilment) => fulfilment switch
    {
        Fulfilment.Ship => "ship",
        Fulfilment.Pickup => "pickup",
        _ => fulfilment.ToString().ToLowerInvariant(),
    };

    private static void Trim<T>(List<T> list, int limit)
    {
        if (list.Count > limit)
        {
            list.RemoveRange(limit, list.Count - limit);
        }
    }
}
