namespace OmniChannel.Core.Remarketing;

/// <summary>Names shared by the remarketing orchestration, both hosts and ingest.</summary>
public static class RemarketingWorkflow
{
    public const string OrchestrationName = "ProximityRemarketing";

    /// <summary>
    /// The version new instances start on (<see cref="WorkflowVersions"/>); raise it for a change of the steps. Major.minor,
    /// so the SDK compares versions as numbers ("10.0" after "9.0"), not as text.
    /// </summary>
    public const string Version = DwellVersion;

    /// <summary>The first version: decide, issue, push, wait for redemption or expiry.</summary>
    public const string FirstVersion = "1.0";

    /// <summary>Adds the send-time check between issuing and pushing (consent and quiet hours judged when sending).</summary>
    public const string SendTimeChecksVersion = "1.1";

    /// <summary>Adds the dwell wait: a rule with a dwell time fires only if the customer has not left the store's geofence meanwhile.</summary>
    public const string DwellVersion = "1.2";

    /// <summary>Raised by ingest when a POS sale redeems the instance's coupon.</summary>
    public const string RedeemedEvent = "redeemed";

    /// <summary>One instance per signal event: a redelivered event starts nothing new.</summary>
    public static string InstanceIdFor(string eventKey) => "remarketing-" + eventKey;
}

public enum RemarketingStatus
{
    /// <summary>Deciding; or, once issued, waiting for the coupon to be used.</summary>
    Waiting,

    /// <summary>No rule fired (the reason says why).</summary>
    NotEligible,

    /// <summary>A rule fired, but consent was withdrawn, the cap filled or the rule's daily budget was spent before the coupon was issued, or the send-time check stopped its push.</summary>
    Withheld,

    Redeemed,
    Expired,

    /// <summary>A rule would have fired, but the customer is in its control group (or the global one): nothing issued or sent.</summary>
    HeldOut,
}

/// <summary>Where a remarketing instance stands (its custom status and output).</summary>
public sealed record RemarketingProgress(RemarketingStatus Status, string Reason, string? CouponCode, DateTimeOffset At);
