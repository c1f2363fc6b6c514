using OmniChannel.Core.Events;

namespace OmniChannel.Core.Profiles;

/// <summary>
/// The Customer 360 document (Cosmos <c>profiles</c> container, partitioned by <see cref="Id"/>). Its id is the
/// strongest identity key of everything stitched into it, so the same person ends in the same profile whatever
/// order the events arrive in.
/// </summary>
public sealed class CustomerProfile
{
    public required string Id { get; set; }

    /// <summary>Every identity key stitched into this profile; also the event partitions of its timeline.</summary>
    public List<string> Identities { get; set; } = [];

    public string? CustomerId { get; set; }

    /// <summary>The customer's consent per purpose (<see cref="ConsentPurposes"/>), each with when it last changed.</summary>
    public Dictionary<string, ConsentRecord> Consents { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The marketing purpose's state: what remarketing acts on. A view of <see cref="Consents"/>.</summary>
    public ConsentState MarketingConsent
    {
        get => Consents.TryGetValue(ConsentPurposes.Marketing, out var record) ? record.State : ConsentState.Unknown;
        set => SetMarketing(value, ConsentChangedAt);
    }

    /// <summary>When the marketing consent last changed. A view of <see cref="Consents"/>.</summary>
    public DateTimeOffset? ConsentChangedAt
    {
        get => Consents.TryGetValue(ConsentPurposes.Marketing, out var record) ? record.ChangedAt : null;
        set => SetMarketing(MarketingConsent, value);
    }

    /// <summary>Nothing known stays no entry, so a profile read back without consent has none.</summary>
    private void SetMarketing(ConsentState state, DateTimeOffset? changedAt)
    {
        if (state != ConsentState.Unknown || changedAt is not null || Consents.ContainsKey(ConsentPurposes.Marketing))
        {
            Consents[ConsentPurposes.Marketing] = new ConsentRecord(state, changedAt);
        }
    }

    public JourneyStage Stage { get; set; }

    public DateTimeOffset? StageChangedAt { get; set; }

    public int ViewsInJourney { get; set; }

    public string? LastChannel { get; set; }

    /// <summary>The store of the latest event that named one.</summary>
    public string? LastStoreId { get; set; }

    /// <summary>The time of the event <see cref="LastStoreId"/> came from.</summary>
    public DateTimeOffset? LastStoreAt { get; set; }

    /// <summary>The idempotency key of the latest event, so two events of the same time order the same in any arrival order.</summary>
    public string? LastEventKey { get; set; }

    /// <summary>The key of the event <see cref="LastStoreId"/> came from (the tie-break, as <see cref="LastEventKey"/>).</summary>
    public string? LastStoreKey { get; set; }

    /// <summary>The journey's latest moves in time order, from which <see cref="Stage"/> is replayed (see <see cref="JourneyLog"/>).</summary>
    public List<JourneyStep> JourneySteps { get; set; } = [];

    /// <summary>The journey before the oldest of <see cref="JourneySteps"/>; null while every move is kept.</summary>
    public JourneyBase? JourneyBase { get; set; }

    public DateTimeOffset? FirstSeenAt { get; set; }

    public DateTimeOffset? LastSeenAt { get; set; }

    /// <summary>Newest first, at most <see cref="ProfileProjector.RecentActivityLimit"/>.</summary>
    public List<ActivityEntry> RecentActivity { get; set; } = [];

    public List<OpenOrder> OpenOrders { get; set; } = [];

    /// <summary>Orders that ended (collected, expired, cancelled), newest placed first, so a replayed order event does not open one again.</summary>
    public List<ClosedOrder> ClosedOrders { get; set; } = [];

    /// <summary>The customer's recent coupons, newest first (at most <see cref="Remarketing.CouponSummary.Limit"/>), with the sale each was redeemed on.</summary>
    public List<Remarketing.CouponSummary> Coupons { get; set; } = [];

    /// <summary>The customer's sales attributed to remarketing rules, newest first (at most <see cref="Remarketing.SaleAttribution.Limit"/>).</summary>
    public List<Remarketing.SaleAttribution> AttributedSales { get; set; } = [];

    /// <summary>The profiles merged into this one, oldest first (at most <see cref="ProfileProjector.MergeRecordLimit"/>).</summary>
    public List<MergeRecord> Merges { get; set; } = [];

    /// <summary>Identifiers the identity rules kept out of this person, newest first (at most <see cref="ProfileProjector.DecisionLimit"/>).</summary>
    public List<IdentityDecision> IdentityDecisions { get; set; } = [];

    /// <summary>
    /// Identities of another person this profile must never join again: an administrator undid a merge of the two
    /// (see <see cref="Identity.MergeUndo"/>), so an event naming both no longer merges them.
    /// </summary>
    public List<string> KeptApart { get; set; } = [];

    /// <summary>Set on a profile that was merged into another; the profile is then only a pointer.</summary>
    public string? MergedInto { get; set; }
}
