using OmniChannel.Core.Events;

namespace OmniChannel.Core.Profiles;

/// <summary>
/// The journey stage machine: browsing → considering → cart → purchased → awaiting pickup → collected, with abandoned
/// carts on the side. Pure, so both hosts and the tests share one definition; <see cref="JourneyLog"/> replays it over a
/// person's moves in time order.
/// </summary>
public static class JourneyRules
{
    /// <summary>Product views in one journey after which a browsing customer is considering.</summary>
    public const int ViewsToConsider = 3;

    /// <summary>The stage after an event, given the stage before and the product views so far in this journey.</summary>
    public static (JourneyStage Stage, int ViewsInJourney) Next(JourneyStage stage, int viewsInJourney, EventPayload payload) =>
        JourneyLog.MoveOf(payload) is { } move
            ? Next(stage, viewsInJourney, move, move == JourneyMove.OrderPickup ? 1 : 0)
            : (stage, viewsInJourney);

    /// <summary>The stage after a move, given the stage before, the views so far and the pickup orders still open after the move.</summary>
    public static (JourneyStage Stage, int ViewsInJourney) Next(JourneyStage stage, int viewsInJourney, JourneyMove move, int openPickups) => move switch
    {
        JourneyMove.View => stage switch
        {
            JourneyStage.Unknown or JourneyStage.Browsing or JourneyStage.Considering =>
                (viewsInJourney + 1 >= ViewsToConsider ? JourneyStage.Considering : JourneyStage.Browsing, viewsInJourney + 1),

            // A view after a finished journey starts the next one.
            JourneyStage.Purchased or JourneyStage.Collected => (JourneyStage.Browsing, 1),
            _ => (stage, viewsInJourney + 1),
        },
        JourneyMove.CartAdd => stage == JourneyStage.AwaitingPickup ? (stage, viewsInJourney) : (JourneyStage.Cart, viewsInJourney),
        JourneyMove.CartAbandon => stage is JourneyStage.Purchased or JourneyStage.AwaitingPickup or JourneyStage.Collected
            ? (stage, viewsInJourney)
            : (JourneyStage.CartAbandoned, viewsInJourney),
        JourneyMove.OrderPickup => (JourneyStage.AwaitingPickup, 0),
        JourneyMove.OrderShip or JourneyMove.PosSale => stage == JourneyStage.AwaitingPickup ? (stage, 0) : (JourneyStage.Purchased, 0),

        // The pickup was handed over: this journey is complete.
        JourneyMove.PickupCollected => (JourneyStage.Collected, 0),

        // Given up (expired, cancelled, rejected): waiting ends once no other pickup is open.
        JourneyMove.PickupClosed => stage == JourneyStage.AwaitingPickup && openPickups == 0 ? (JourneyStage.Browsing, viewsInJourney) : (stage, viewsInJourney),
        _ => (stage, viewsInJourney),
    };
}
