using System.Globalization;
using OmniChannel.Core.Events;
using OmniChannel.Core.Identity;

namespace OmniChannel.Core.Profiles;

/// <summary>
/// Applies events to a Customer 360 and merges two profiles of one person. Every operation is idempotent and
/// insensitive to arrival order (late events never roll a newer state back), because Event Hubs delivers at least
/// once and only in order within one partition.
/// </summary>
public static class ProfileProjector
{
    public const int RecentActivityLimit = 20;
    public const int AppliedEventKeyLimit = 256;
    public const int OpenOrderLimit = 50;
    public const int MergeRecordLimit = 50;
    public const int DecisionLimit = 20;

    /// <summary>Applies one event; answers false when the event was applied before.</summary>
    public static bool Apply(CustomerProfile profile, OmniEvent omniEvent)
    {
        if (profile.AppliedEventKeys.Contains(omniEvent.Key))
        {
            return false;
        }

        Remember(profile.AppliedEventKeys, omniEvent.Key);
        AddIdentities(profile, omniEvent.Identities);

        profile.CustomerId ??= omniEvent.Identities.CustomerId;
        var time = omniEvent.Time;
        if (profile.FirstSeenAt is null || time < profile.FirstSeenAt)
        {
            profile.FirstSeenAt = time;
        }

        if (profile.LastSeenAt is null || time >= profile.LastSeenAt)
        {
            profile.LastSeenAt = time;
            profile.LastChannel = omniEvent.Channel;
            profile.LastStoreId = omniEvent.StoreId ?? profile.LastStoreId;
        }

        if (omniEvent.Payload is ConsentChanged consent && (profile.ConsentChangedAt is null || time >= profile.ConsentChangedAt))
        {
            profile.MarketingConsent = consent.Marketing;
            profile.ConsentChangedAt = time;
        }

        if (profile.StageChangedAt is null || time >= profile.StageChangedAt)
        {
            var (stage, views) = JourneyRules.Next(profile.Stage, profile.ViewsInJourney, omniEvent.Payload);
            // Only a real change moves the mark: an event that leaves the stage alone (a sign-in, say, which often
            // arrives before the same person's earlier views from another partition) must not shut out later arrivals.
            if (stage != profile.Stage)
            {
                profile.StageChangedAt = time;
            }

            profile.Stage = stage;
            profile.ViewsInJourney = views;
        }

        if (omniEvent.Payload is OrderPlaced order && !HasOrder(profile.OpenOrders, order.OrderId))
        {
            profile.OpenOrders.Insert(0, new OpenOrder(order.OrderId, FulfilmentText(order.Fulfilment), order.StoreId, order.Total, time));
            Trim(profile.OpenOrders, OpenOrderLimit);
        }

        AddActivity(profile.RecentActivity, new ActivityEntry(
            omniEvent.Key, omniEvent.Id, omniEvent.Type, time, omniEvent.Channel, omniEvent.StoreId, Summarise(omniEvent.Payload),
            (omniEvent.Payload as ProductViewed)?.Sku, (omniEvent.Payload as ProductViewed)?.Category));
        return true;
    }

    /// <summary>
    /// Folds <paramref name="merged"/> into <paramref name="survivor"/>, records the merge there, and leaves a pointer
    /// behind. Idempotent: merging a copy of the same profile again changes nothing more.
    /// </summary>
    public static void Merge(CustomerProfile survivor, CustomerProfile merged, MergeRecord? record = null)
    {
        if (merged.Id == survivor.Id)
        {
            return;
        }

        foreach (var identity in merged.Identities)
        {
            AddIdentity(survivor, identity);
        }

        AddIdentity(survivor, merged.Id);
        survivor.CustomerId ??= merged.CustomerId;
        foreach (var key in merged.AppliedEventKeys)
        {
            if (!survivor.AppliedEventKeys.Contains(key))
            {
                Remember(survivor.AppliedEventKeys, key);
            }
        }

        MergeConsent(survivor, merged);

        if (merged.StageChangedAt is not null && (survivor.StageChangedAt is null || merged.StageChangedAt > survivor.StageChangedAt))
        {
            survivor.Stage = merged.Stage;
            survivor.StageChangedAt = merged.StageChangedAt;
            survivor.ViewsInJourney = merged.ViewsInJourney;
        }

        if (merged.FirstSeenAt is not null && (survivor.FirstSeenAt is null || merged.FirstSeenAt < survivor.FirstSeenAt))
        {
            survivor.FirstSeenAt = merged.FirstSeenAt;
        }

        if (merged.LastSeenAt is not null && (survivor.LastSeenAt is null || merged.LastSeenAt > survivor.LastSeenAt))
        {
            survivor.LastSeenAt = merged.LastSeenAt;
            survivor.LastChannel = merged.LastChannel;
            survivor.LastStoreId = merged.LastStoreId ?? survivor.LastStoreId;
        }

        foreach (var order in merged.OpenOrders)
        {
            if (!HasOrder(survivor.OpenOrders, order.OrderId))
            {
                survivor.OpenOrders.Add(order);
            }
        }

        survivor.OpenOrders.Sort((left, right) => right.PlacedAt.CompareTo(left.PlacedAt));
        Trim(survivor.OpenOrders, OpenOrderLimit);
        foreach (var entry in merged.RecentActivity)
        {
            AddActivity(survivor.RecentActivity, entry);
        }

        foreach (var coupon in merged.Coupons)
        {
            AddCoupon(survivor.Coupons, coupon);
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

        merged.MergedInto = survivor.Id;
        merged.Identities = [];
        merged.RecentActivity = [];
        merged.OpenOrders = [];
        merged.Coupons = [];
        merged.Merges = [];
        merged.IdentityDecisions = [];
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
    /// A merge never turns marketing back on: a revocation on either side wins, stamped with the later of the two
    /// changes, so only a grant given after both reaches the merged person. Otherwise the newer choice wins.
    /// </summary>
    private static void MergeConsent(CustomerProfile survivor, CustomerProfile merged)
    {
        if (merged.ConsentChangedAt is null)
        {
            return;
        }

        if (survivor.ConsentChangedAt is null)
        {
            survivor.MarketingConsent = merged.MarketingConsent;
            survivor.ConsentChangedAt = merged.ConsentChangedAt;
            return;
        }

        var latest = merged.ConsentChangedAt > survivor.ConsentChangedAt ? merged.ConsentChangedAt : survivor.ConsentChangedAt;
        if (merged.MarketingConsent == MarketingConsent.Revoked || survivor.MarketingConsent == MarketingConsent.Revoked)
        {
            survivor.MarketingConsent = MarketingConsent.Revoked;
        }
        else if (merged.ConsentChangedAt > survivor.ConsentChangedAt)
        {
            survivor.MarketingConsent = merged.MarketingConsent;
        }

        survivor.ConsentChangedAt = latest;
    }

    /// <summary>A coupon of the merged profile joins the survivor's; of two copies, the one that moved on (redeemed, expired) is kept.</summary>
    private static void AddCoupon(List<Remarketing.CouponSummary> coupons, Remarketing.CouponSummary coupon)
    {
        var index = coupons.FindIndex(existing => existing.Code == coupon.Code);
        if (index >= 0)
        {
            if (coupons[index].State == Remarketing.CouponState.Issued && coupon.State != Remarketing.CouponState.Issued)
            {
                coupons[index] = coupon;
            }

            return;
        }

        coupons.Add(coupon);
        coupons.Sort((left, right) => right.IssuedAt.CompareTo(left.IssuedAt));
        Trim(coupons, Remarketing.CouponSummary.Limit);
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
        ConsentChanged consent => $"marketing consent {consent.Marketing.ToString().ToLowerInvariant()}",
        InventoryAdjusted adjusted => $"inventory {adjusted.Sku} {adjusted.Delta:+#;-#}",
        _ => "event",
    };

    /// <summary>
    /// Adds the event's identities the profile does not list yet, strongest first. A key text is made only for an
    /// identity added: stitching folds whole timelines of events whose key texts nothing else needs.
    /// </summary>
    private static void AddIdentities(CustomerProfile profile, IdentitySet identities)
    {
        AddIdentity(profile, IdentityKind.Customer, identities.CustomerId);
        AddIdentity(profile, IdentityKind.Loyalty, identities.LoyaltyId);
        AddIdentity(profile, IdentityKind.Email, identities.EmailHash);
        AddIdentity(profile, IdentityKind.Device, identities.DeviceId);
        foreach (var joined in identities.Joined ?? [])
        {
            AddIdentity(profile, joined.Kind, joined.Value);
        }
    }

    private static void AddIdentity(CustomerProfile profile, IdentityKind kind, string? value)
    {
        if (value is null)
        {
            return;
        }

        foreach (var listed in profile.Identities)
        {
            if (IdentityKey.IsText(listed, kind, value))
            {
                return;
            }
        }

        profile.Identities.Add(new IdentityKey(kind, value).ToString());
    }

    private static void AddIdentity(CustomerProfile profile, string identity)
    {
        if (!profile.Identities.Contains(identity))
        {
            profile.Identities.Add(identity);
        }
    }

    private static void AddActivity(List<ActivityEntry> activity, ActivityEntry entry)
    {
        // Loops rather than Exists/FindIndex: a lambda capturing the entry would cost two objects per event.
        var index = activity.Count;
        for (var position = activity.Count - 1; position >= 0; position--)
        {
            if (activity[position].EventKey == entry.EventKey)
            {
                return;
            }

            if (activity[position].Time < entry.Time)
            {
                // Newest first: the entry goes before the first (newest) one older than itself.
                index = position;
            }
        }

        activity.Insert(index, entry);
        Trim(activity, RecentActivityLimit);
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

    private static void Remember(List<string> keys, string key)
    {
        keys.Add(key);
        if (keys.Count > AppliedEventKeyLimit)
        {
            keys.RemoveRange(0, keys.Count - AppliedEventKeyLimit);
        }
    }

    private static void Trim<T>(List<T> list, int limit)
    {
        if (list.Count > limit)
        {
            list.RemoveRange(limit, list.Count - limit);
        }
    }
}
