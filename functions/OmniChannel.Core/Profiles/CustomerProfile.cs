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

    public MarketingConsent MarketingConsent { get; set; }

    public DateTimeOffset? ConsentChangedAt { get; set; }

    public JourneyStage Stage { get; set; }

    public DateTimeOffset? StageChangedAt { get; set; }

    public int ViewsInJourney { get; set; }

    public string? LastChannel { get; set; }

    public string? LastStoreId { get; set; }

    public DateTimeOffset? FirstSeenAt { get; set; }

    public DateTimeOffset? LastSeenAt { get; set; }

    /// <summary>Newest first, at most <see cref="ProfileProjector.RecentActivityLimit"/>.</summary>
    public List<ActivityEntry> RecentActivity { get; set; } = [];

    public List<OpenOrder> OpenOrders { get; set; } = [];

    /// <summary>The customer's recent coupons, newest first (at most <see cref="Remarketing.CouponSummary.Limit"/>), with the sale each was redeemed on.</summary>
    public List<Remarketing.CouponSummary> Coupons { get; set; } = [];

    /// <summary>The keys of the most recently applied events, so a redelivered event changes nothing.</summary>
    public List<string> AppliedEventKeys { get; set; } = [];

    /// <summary>The profiles merged into this one, oldest first (at most <see cref="ProfileProjector.MergeRecordLimit"/>).</summary>
    public List<MergeRecord> Merges { get; set; } = [];

    /// <summary>Identifiers the identity rules kept out of this person, newest first (at most <see cref="ProfileProjector.DecisionLimit"/>).</summary>
    public List<IdentityDecision> IdentityDecisions { get; set; } = [];

    /// <summary>Set on a profile that was merged into another; the profile is then only a pointer.</summary>
    public string? MergedInto { get; set; }
}
