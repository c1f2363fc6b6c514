namespace OmniChannel.Core.Profiles;

/// <summary>Where a customer stands in the buying journey.</summary>
public enum JourneyStage
{
    Unknown,
    Browsing,
    Considering,
    Cart,
    CartAbandoned,
    Purchased,
    AwaitingPickup,
    Collected,
}
