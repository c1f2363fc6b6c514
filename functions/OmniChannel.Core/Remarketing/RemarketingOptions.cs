namespace OmniChannel.Core.Remarketing;

/// <summary>Remarketing settings of the whole backbone (section <c>OmniChannel:Remarketing</c>): timing limits and the global control group.</summary>
public sealed class RemarketingOptions
{
    public const string SectionName = "OmniChannel:Remarketing";

    /// <summary>The most a control group may hold back, globally or per rule.</summary>
    public const int MaxHoldoutPercent = 50;

    /// <summary>
    /// The share of customers (0–50 %) who never get any remarketing: the global control group. Their signals that a
    /// rule would have fired on are recorded as held out for that rule.
    /// </summary>
    public int GlobalControlPercent { get; set; }

    /// <summary>
    /// A geofence entry older than this when it is decided on never fires: the customer has walked on (an event parked
    /// during an outage, or from a phone that was offline, arrives late).
    /// </summary>
    public TimeSpan MaxGeofenceSignalAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The same for online signals (a product viewed, a cart abandoned) when the rule names no age of its own (<c>maxSignalAgeMinutes</c>).</summary>
    public TimeSpan MaxOnlineSignalAge { get; set; } = TimeSpan.FromHours(24);
}
