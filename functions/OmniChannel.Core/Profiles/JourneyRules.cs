using OmniChannel.Core.Events;

namespace OmniChannel.Core.Profiles;

/// <summary>
/// The journey stage machine: browsing → considering → cart → purchased → awaiting pickup → collected, with abandoned
/// carts on the side. Pure, so both hosts and the tests share one definition.
/// </summary>
public static class JourneyRules
{
    /// <summary>Product views in one journey after which a browsing customer is considering.</summary>
    public const int ViewsToConsider = 3;

    /// <summary>The stage after an event, given the stage before and the product views so far in this journey.</summary>
    public static (JourneyStage Stage, int ViewsInJourney) Next(JourneyStage stage, int viewsInJourney, EventPayload payload) => payload switch
    {
        ProductViewed => stage switch
        {
            JourneyStage.Unknown or JourneyStage.Browsing or JourneyStage.Considering =>
                (viewsInJourney + 1 >= ViewsToConsider ? JourneyStage.Considering : JourneyStage.Browsing, viewsInJourney + 1),

            // A view after a finished journey starts the next one.
            JourneyStage.Purchased or JourneyStage.Collected => (JourneyStage.Browsing, 1),
            _ => (stage, viewsInJourney + 1),
        },
        CartItemAdded => stage == JourneyStage.AwaitingPickup ? (stage, viewsInJourney) : (JourneyStage.Cart, viewsInJourney),
        CartAbandoned => stage is JourneyStage.Purchased or JourneyStage.AwaitingPickup or JourneyStage.Collected
            ? (stage, viewsInJourney)
            : (JourneyStage.CartAbandoned, viewsInJourney),
        OrderPlaced { Fulfilment: Fulfilment.Pickup } => (JourneyStage.AwaitingPickup, 0),
        OrderPlaced => stage == JourneyStage.AwaitingPickup ? (stage, 0) : (JourneyStage.Purchased, 0),
        PosSale => stage == JourneyStage.AwaitingPickup ? (stage, 0) : (JourneyStage.Purchased, 0),
        _ => (stage, viewsInJourney),
    };
}
