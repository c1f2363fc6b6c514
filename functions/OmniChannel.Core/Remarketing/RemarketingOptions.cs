namespace OmniChannel.Core.Remarketing;

/// <summary>Remarketing's timing limits, bound from <c>OmniChannel:Remarketing</c>.</summary>
public sealed class RemarketingOptions
{
    public const string SectionName = "OmniChannel:Remarketing";

    /// <summary>
    /// A geofence entry older than this when it is decided on never fires: the customer has walked on (an event parked
    /// during an outage, or from a phone that was offline, arrives late).
    /// </summary>
    public TimeSpan MaxGeofenceSignalAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The same for online signals (a product viewed, a cart abandoned) when the rule names no age of its own (<c>maxSignalAgeMinutes</c>).</summary>
    public TimeSpan MaxOnlineSignalAge { get; set; } = TimeSpan.FromHours(24);
}
