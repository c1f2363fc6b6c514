using System.Text.Json.Nodes;
using CsCheck;
using OmniChannel.Core.Events;
using OmniChannel.Core.Profiles;
using OmniChannel.Core.UnitTests.Builders;

namespace OmniChannel.Core.UnitTests.Profiles;

/// <summary>
/// One person's events travel on several event hub partitions, and parked batches come back hours later, so the
/// Customer 360 must not depend on the order they arrive in, nor on how often.
/// </summary>
public sealed class ArrivalOrderPropertyTests
{
    private static readonly DateTimeOffset Morning = TestClock.Now.AddHours(-12);

    [Fact]
    public void Apply_AnyArrivalOrderOfADay_GivesTheInOrderProfile()
    {
        var day = Day();
        var expected = Project(day);

        Gen.Shuffle(day.ToArray())
            .SelectMany(order => Gen.Int[0, day.Count - 1].Array[0, 5].Select(repeats => order.Concat(repeats.Select(index => order[index])).ToList()))
            .Sample(arrival => Assert.Equal(expected, Project(arrival)), iter: 500);
    }

    [Fact]
    public void Apply_ASaleAppliedAfterALaterView_GivesTheInOrderStage()
    {
        var view = At(CloudEventBuilder.View("SKU-2"), 5);
        var sale = At(CloudEventBuilder.Sale("0007", ("SKU-1", 1)).Customer("C1"), 2);

        Assert.Equal(Project([Apply(sale), Apply(view)]), Project([Apply(view), Apply(sale)]));
    }

    /// <summary>A realistic day of one signed-in customer, as actions on a profile (a pickup outcome is not an event, but moves the journey too).</summary>
    private static List<Action<CustomerProfile>> Day() =>
    [
        Apply(At(CloudEventBuilder.View("SKU-1").Data("storeid", "0042"), 0)),
        Apply(At(CloudEventBuilder.View("SKU-2"), 1)),
        Apply(At(CloudEventBuilder.SignIn("C1", "d-1"), 2)),
        Apply(At(CloudEventBuilder.Of(EventTypes.ConsentChanged).Customer("C1").WithData(new JsonObject { ["marketing"] = "granted" }), 3)),
        Apply(At(CloudEventBuilder.View("SKU-3").Customer("C1"), 4)),
        Apply(At(CloudEventBuilder.Of(EventTypes.CartItemAdded).Customer("C1"), 5)),
        Apply(At(CloudEventBuilder.Of(EventTypes.CartAbandoned).Customer("C1"), 6)),
        Apply(At(CloudEventBuilder.Of(EventTypes.GeofenceEntered).Customer("C1"), 30)),
        Apply(At(CloudEventBuilder.Sale("0007", ("SKU-1", 1)).Customer("C1"), 31)),
        Apply(At(CloudEventBuilder.View("SKU-4").Customer("C1").WithChannel(Channels.App), 60)),
        Apply(At(CloudEventBuilder.Of(EventTypes.OrderPlaced).Customer("C1").Data("orderid", "O-1"), 62)),
        Apply(At(CloudEventBuilder.View("SKU-5").Customer("C1"), 63)),
        profile => ProfileProjector.RecordPickupOutcome(profile, "O-1", collected: true, Morning.AddMinutes(120)),
        Apply(At(CloudEventBuilder.View("SKU-6").Customer("C1").Data("storeid", "0003"), 180)),
        Apply(At(CloudEventBuilder.View("SKU-7").Customer("C1").Data("storeid", "0004"), 180)),
        Apply(At(CloudEventBuilder.Of(EventTypes.ConsentChanged).Customer("C1").WithData(new JsonObject { ["marketing"] = "revoked" }), 181)),
        Apply(At(CloudEventBuilder.Of(EventTypes.ConsentChanged).Customer("C1").WithData(new JsonObject { ["marketing"] = "granted" }), 181)),
    ];

    private static CloudEventBuilder At(CloudEventBuilder builder, int minute) => builder.WithTime(Morning.AddMinutes(minute));

    private static Action<CustomerProfile> Apply(CloudEventBuilder builder)
    {
        var omniEvent = Decoding.Event(builder);
        return profile => ProfileProjector.Apply(profile, omniEvent);
    }

    /// <summary>What the 360 shows, with the identity list as a set.</summary>
    private static string Project(IEnumerable<Action<CustomerProfile>> arrival)
    {
        var profile = new CustomerProfile { Id = "customer:C1" };
        foreach (var action in arrival)
        {
            action(profile);
        }

        return string.Join(" | ",
            string.Join(",", profile.Identities.Order(StringComparer.Ordinal)),
            profile.Stage, profile.StageChangedAt, profile.ViewsInJourney,
            profile.LastChannel, profile.LastStoreId, profile.LastSeenAt, profile.FirstSeenAt,
            profile.MarketingConsent, profile.ConsentChangedAt,
            string.Join(",", profile.OpenOrders.Select(order => order.OrderId)),
            string.Join(",", profile.RecentActivity.Select(entry => entry.EventId)));
    }
}
