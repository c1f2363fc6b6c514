namespace OmniChannel.Core.Profiles;

/// <summary>What moves a customer's journey: the channel events that count, and the pickup outcomes the workflow reports.</summary>
public enum JourneyMove
{
    View,
    CartAdd,
    CartAbandon,
    OrderShip,
    OrderPickup,
    PosSale,
    PickupCollected,
    PickupClosed,
}

/// <summary>
/// One move of the journey, kept on the profile in time order so the stage can be replayed whatever order the moves
/// arrived in. <see cref="Key"/> names the event (or the outcome) so a repeat is recognised.
/// </summary>
public sealed record JourneyStep(DateTimeOffset At, string Key, JourneyMove Move, string? OrderId = null);

/// <summary>Where the journey stood before the oldest step kept: the steps folded away, as one state.</summary>
public sealed record JourneyBase(JourneyStage Stage, int Views, IReadOnlyList<string> OpenPickups, DateTimeOffset? ChangedAt, DateTimeOffset Until, string UntilKey);
