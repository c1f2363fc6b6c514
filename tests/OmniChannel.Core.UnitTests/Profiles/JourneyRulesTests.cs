using OmniChannel.Core.Events;
using OmniChannel.Core.Profiles;

namespace OmniChannel.Core.UnitTests.Profiles;

public sealed class JourneyRulesTests
{
    private static readonly ProductViewed View = new("SKU-1", null);
    private static readonly CartItemAdded Add = new("SKU-1", 1, 9.99m);
    private static readonly CartAbandoned Abandon = new(["SKU-1"]);
    private static readonly OrderPlaced Ship = new("O-1", [new OrderLine("SKU-1", 1, 9.99m)], Fulfilment.Ship, null);
    private static readonly OrderPlaced Pickup = new("O-2", [new OrderLine("SKU-1", 1, 9.99m)], Fulfilment.Pickup, "0001");
    private static readonly PosSale Sale = new("0001", [new OrderLine("SKU-1", 1, 9.99m)], null);
    private static readonly CustomerIdentified SignIn = new("C1", "d-1", null, null);
    private static readonly GeofenceEntered Geofence = new("0001", 40.7, -74.0);
    private static readonly ConsentChanged Consent = new(ConsentPurposes.Marketing, ConsentState.Granted);

    public static TheoryData<JourneyStage, int, EventPayload, JourneyStage, int> Transitions => new()
    {
        // Views: browsing until the third view of a journey, then considering.
        { JourneyStage.Unknown, 0, View, JourneyStage.Browsing, 1 },
        { JourneyStage.Browsing, 1, View, JourneyStage.Browsing, 2 },
        { JourneyStage.Browsing, 2, View, JourneyStage.Considering, 3 },
        { JourneyStage.Considering, 7, View, JourneyStage.Considering, 8 },
        { JourneyStage.Purchased, 0, View, JourneyStage.Browsing, 1 },
        { JourneyStage.Collected, 0, View, JourneyStage.Browsing, 1 },
        { JourneyStage.Cart, 4, View, JourneyStage.Cart, 5 },
        { JourneyStage.CartAbandoned, 4, View, JourneyStage.CartAbandoned, 5 },
        { JourneyStage.AwaitingPickup, 0, View, JourneyStage.AwaitingPickup, 1 },

        // Cart additions.
        { JourneyStage.Unknown, 0, Add, JourneyStage.Cart, 0 },
        { JourneyStage.Considering, 3, Add, JourneyStage.Cart, 3 },
        { JourneyStage.CartAbandoned, 3, Add, JourneyStage.Cart, 3 },
        { JourneyStage.Purchased, 0, Add, JourneyStage.Cart, 0 },
        { JourneyStage.AwaitingPickup, 2, Add, JourneyStage.AwaitingPickup, 2 },

        // Abandoned carts never undo a purchase.
        { JourneyStage.Cart, 3, Abandon, JourneyStage.CartAbandoned, 3 },
        { JourneyStage.Browsing, 1, Abandon, JourneyStage.CartAbandoned, 1 },
        { JourneyStage.Purchased, 0, Abandon, JourneyStage.Purchased, 0 },
        { JourneyStage.AwaitingPickup, 0, Abandon, JourneyStage.AwaitingPickup, 0 },
        { JourneyStage.Collected, 0, Abandon, JourneyStage.Collected, 0 },

        // Orders and sales end a journey.
        { JourneyStage.Cart, 5, Ship, JourneyStage.Purchased, 0 },
        { JourneyStage.Unknown, 0, Ship, JourneyStage.Purchased, 0 },
        { JourneyStage.AwaitingPickup, 2, Ship, JourneyStage.AwaitingPickup, 0 },
        { JourneyStage.Cart, 5, Pickup, JourneyStage.AwaitingPickup, 0 },
        { JourneyStage.Purchased, 0, Pickup, JourneyStage.AwaitingPickup, 0 },
        { JourneyStage.Considering, 4, Sale, JourneyStage.Purchased, 0 },
        { JourneyStage.AwaitingPickup, 1, Sale, JourneyStage.AwaitingPickup, 0 },

        // Events that say nothing about the journey leave it alone.
        { JourneyStage.Considering, 4, SignIn, JourneyStage.Considering, 4 },
        { JourneyStage.Cart, 2, Geofence, JourneyStage.Cart, 2 },
        { JourneyStage.Unknown, 0, Consent, JourneyStage.Unknown, 0 },
    };

    [Theory]
    [MemberData(nameof(Transitions))]
    public void Next_StageAndEvent_GivesExpectedStageAndViews(JourneyStage stage, int views, EventPayload payload, JourneyStage expectedStage, int expectedViews)
    {
        var (next, nextViews) = JourneyRules.Next(stage, views, payload);

        Assert.Equal(expectedStage, next);
        Assert.Equal(expectedViews, nextViews);
    }

    [Fact]
    public void Next_ViewsToConsider_IsReachedExactlyOnTheThirdView()
    {
        var (stage, views) = (JourneyStage.Unknown, 0);
        var stages = new List<JourneyStage>();
        for (var view = 0; view < JourneyRules.ViewsToConsider; view++)
        {
            (stage, views) = JourneyRules.Next(stage, views, View);
            stages.Add(stage);
        }

        Assert.Equal([JourneyStage.Browsing, JourneyStage.Browsing, JourneyStage.Considering], stages);
    }
}
