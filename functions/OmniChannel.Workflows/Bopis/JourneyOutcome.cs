namespace OmniChannel.Workflows.Bopis;

/// <summary>How a pickup order ended, as the Customer 360 journey records it.</summary>
public enum JourneyOutcome
{
    /// <summary>The customer collected the order: the journey is complete.</summary>
    Collected,

    /// <summary>The order ended without a collection (expired, cancelled, rejected): it is no longer open.</summary>
    Closed,
}
