using OmniChannel.Core.Events;
using OmniChannel.Core.Profiles;
using OmniChannel.Core.UnitTests.Builders;
using OmniChannel.TestSupport.Fakes;

namespace OmniChannel.Core.UnitTests.Profiles;

public sealed class ProfileProjectorTests
{
    private static readonly DateTimeOffset T0 = TestClock.Now.AddHours(-2);

    [Fact]
    public void Apply_FirstEvent_FillsTheProfile()
    {
        var profile = NewProfile("device:d-1");

        var applied = ProfileProjector.Apply(profile, Event(CloudEventBuilder.View("SKU-7").WithTime(T0).WithChannel(Channels.App)));

        Assert.True(applied);
        Assert.Equal(["device:d-1"], profile.Identities);
        Assert.Equal(JourneyStage.Browsing, profile.Stage);
        Assert.Equal(1, profile.ViewsInJourney);
        Assert.Equal(T0, profile.FirstSeenAt);
        Assert.Equal(T0, profile.LastSeenAt);
        Assert.Equal(Channels.App, profile.LastChannel);
        Assert.Equal("viewed SKU-7", Assert.Single(profile.RecentActivity).Summary);
    }

    [Fact]
    public void Apply_SameEventTwice_ChangesNothingTheSecondTime()
    {
        var profile = NewProfile("customer:C1");
        var omniEvent = Event(CloudEventBuilder.Of(EventTypes.OrderPlaced).Customer("C1").WithTime(T0));
        ProfileProjector.Apply(profile, omniEvent);
        var before = Copy.Json(profile);

        var applied = ProfileProjector.Apply(profile, omniEvent);

        Assert.False(applied);
        Assert.Equal(before, Copy.Json(profile));
        Assert.Single(profile.OpenOrders);
    }

    [Fact]
    public void Apply_RedeliveredCopyWithSameSourceAndId_IsRecognised()
    {
        var profile = NewProfile("device:d-1");
        var builder = CloudEventBuilder.View().WithTime(T0);
        ProfileProjector.Apply(profile, Event(builder));
        var before = Copy.Json(profile);

        var applied = ProfileProjector.Apply(profile, Event(builder));

        Assert.False(applied);
        Assert.Equal(before, Copy.Json(profile));
    }

    [Fact]
    public void Apply_LateEvent_DoesNotRollTheStageBack()
    {
        var profile = NewProfile("customer:C1");
        ProfileProjector.Apply(profile, Event(CloudEventBuilder.Of(EventTypes.OrderPlaced).Customer("C1").Data("fulfilment", "ship").WithTime(T0.AddMinutes(30))));

        ProfileProjector.Apply(profile, Event(CloudEventBuilder.Of(EventTypes.CartAbandoned).Customer("C1").WithTime(T0.AddMinutes(10))));
        ProfileProjector.Apply(profile, Event(CloudEventBuilder.Of(EventTypes.CartItemAdded).Customer("C1").WithTime(T0.AddMinutes(5))));

        Assert.Equal(JourneyStage.Purchased, profile.Stage);
        Assert.Equal(T0.AddMinutes(30), profile.StageChangedAt);
    }

    [Fact]
    public void Apply_LateConsentChange_DoesNotOverrideANewerOne()
    {
        var profile = NewProfile("customer:C1");
        ProfileProjector.Apply(profile, Event(CloudEventBuilder.Of(EventTypes.ConsentChanged).Customer("C1").Data("marketing", "revoked").WithTime(T0.AddMinutes(20))));

        ProfileProjector.Apply(profile, Event(CloudEventBuilder.Of(EventTypes.ConsentChanged).Customer("C1").Data("marketing", "granted").WithTime(T0)));

        Assert.Equal(ConsentState.Revoked, profile.MarketingConsent);
        Assert.Equal(T0.AddMinutes(20), profile.ConsentChangedAt);
    }

    [Fact]
    public void Apply_LateEvent_KeepsLastSeenAndChannelTakesItsStoreAndMovesFirstSeenBack()
    {
        var profile = NewProfile("customer:C1");
        ProfileProjector.Apply(profile, Event(CloudEventBuilder.View().Customer("C1").WithChannel(Channels.App).WithTime(T0.AddMinutes(10))));

        ProfileProjector.Apply(profile, Event(CloudEventBuilder.Of(EventTypes.PosSale).Customer("C1").WithTime(T0)));

        Assert.Equal(T0.AddMinutes(10), profile.LastSeenAt);
        Assert.Equal(Channels.App, profile.LastChannel);
        Assert.Equal("0001", profile.LastStoreId);
        Assert.Equal(T0, profile.FirstSeenAt);
    }

    [Fact]
    public void Apply_EventsInAnyOrder_KeepRecentActivityNewestFirst()
    {
        var profile = NewProfile("device:d-1");
        var minutes = new[] { 5, 1, 9, 3, 7 };

        foreach (var minute in minutes)
        {
            ProfileProjector.Apply(profile, Event(CloudEventBuilder.View($"SKU-{minute}").WithTime(T0.AddMinutes(minute))));
        }

        Assert.Equal(minutes.OrderDescending().Select(minute => T0.AddMinutes(minute)), profile.RecentActivity.Select(entry => entry.Time));
    }

    [Fact]
    public void Apply_OldEventReplayedAfterManyOthers_ChangesNothing()
    {
        // A parked batch replayed hours later: hundreds of this person's events came since, so no window of
        // remembered keys would still hold it; every effect has to be idempotent on its own.
        var profile = NewProfile("customer:C1");
        var order = Event(CloudEventBuilder.Of(EventTypes.OrderPlaced).Customer("C1").Data("orderid", "O-OLD").WithTime(T0));
        var sale = Event(CloudEventBuilder.Of(EventTypes.PosSale).Customer("C1").WithTime(T0.AddSeconds(1)));
        ProfileProjector.Apply(profile, order);
        ProfileProjector.Apply(profile, sale);
        ProfileProjector.RecordPickupOutcome(profile, "O-OLD", collected: true, T0.AddMinutes(1));
        for (var second = 0; second < 300; second++)
        {
            ProfileProjector.Apply(profile, Event(CloudEventBuilder.View().Customer("C1").WithTime(T0.AddMinutes(2).AddSeconds(second))));
        }

        var before = Copy.Json(profile);

        Assert.False(ProfileProjector.Apply(profile, order));
        Assert.False(ProfileProjector.Apply(profile, sale));
        Assert.Equal(before, Copy.Json(profile));
        Assert.Empty(profile.OpenOrders);
        Assert.Equal(ProfileProjector.RecentActivityLimit, profile.RecentActivity.Count);
        Assert.Equal(JourneyLog.StepLimit, profile.JourneySteps.Count);
    }

    [Fact]
    public void Apply_LateViewsAfterAStageNeutralEvent_StillMoveTheStage()
    {
        // Sign-ins and views travel in different event hub partitions, so the sign-in is often applied first.
        var profile = NewProfile("customer:C1");
        ProfileProjector.Apply(profile, Event(CloudEventBuilder.SignIn("C1", "d-1").WithTime(T0.AddMinutes(10))));

        foreach (var minute in new[] { 1, 2, 3 })
        {
            ProfileProjector.Apply(profile, Event(CloudEventBuilder.View().WithTime(T0.AddMinutes(minute))));
        }

        Assert.Equal(JourneyStage.Considering, profile.Stage);
        Assert.Equal(3, profile.ViewsInJourney);
    }

    [Fact]
    public void Apply_Order_AddsAnOpenOrderOnce()
    {
        var profile = NewProfile("customer:C1");
        var order = CloudEventBuilder.Of(EventTypes.OrderPlaced).Customer("C1").WithTime(T0);

        ProfileProjector.Apply(profile, Event(order));
        ProfileProjector.Apply(profile, Event(CloudEventBuilder.Of(EventTypes.OrderPlaced).Customer("C1").WithTime(T0.AddMinutes(1))));

        var open = Assert.Single(profile.OpenOrders);
        Assert.Equal(new OpenOrder("O-1", "pickup", "0001", 22.99m, T0), open);
        Assert.Equal(JourneyStage.AwaitingPickup, profile.Stage);
    }

    [Fact]
    public void Merge_TwoProfiles_UnitesThemAndLeavesAPointer()
    {
        var survivor = NewProfile("customer:C1");
        ProfileProjector.Apply(survivor, Event(CloudEventBuilder.Of(EventTypes.ConsentChanged).Customer("C1").Data("marketing", "granted").WithTime(T0)));
        ProfileProjector.Apply(survivor, Event(CloudEventBuilder.View().Customer("C1").WithTime(T0.AddMinutes(1))));
        var merged = NewProfile("device:d-9");
        var mergedOrder = Event(CloudEventBuilder.Of(EventTypes.OrderPlaced).Anonymous("d-9").Data("orderid", "O-9").WithTime(T0.AddMinutes(30)));
        ProfileProjector.Apply(merged, Event(CloudEventBuilder.Of(EventTypes.ConsentChanged).Anonymous("d-9").Data("marketing", "revoked").WithTime(T0.AddMinutes(20))));
        ProfileProjector.Apply(merged, mergedOrder);

        ProfileProjector.Merge(survivor, merged);

        Assert.Equal(["customer:C1", "device:d-1", "device:d-9"], survivor.Identities.Order(StringComparer.Ordinal));
        Assert.Equal(ConsentState.Revoked, survivor.MarketingConsent);
        Assert.Equal(JourneyStage.AwaitingPickup, survivor.Stage);
        Assert.Equal(T0, survivor.FirstSeenAt);
        Assert.Equal(T0.AddMinutes(30), survivor.LastSeenAt);
        Assert.Equal("O-9", Assert.Single(survivor.OpenOrders).OrderId);
        Assert.Equal(4, survivor.RecentActivity.Count);
        Assert.False(ProfileProjector.Apply(survivor, mergedOrder));
        Assert.Equal("customer:C1", merged.MergedInto);
        Assert.Empty(merged.Identities);
        Assert.Empty(merged.RecentActivity);
    }

    [Fact]
    public void Merge_OlderProfileIntoNewer_KeepsTheNewerStateAndTheOlderFirstSeen()
    {
        var survivor = NewProfile("customer:C1");
        ProfileProjector.Apply(survivor, Event(CloudEventBuilder.Of(EventTypes.CartItemAdded).Customer("C1").WithTime(T0.AddMinutes(50))));
        var merged = NewProfile("loyalty:L1");
        ProfileProjector.Apply(merged, Event(CloudEventBuilder.Of(EventTypes.PosSale).WithTime(T0)));

        ProfileProjector.Merge(survivor, merged);

        Assert.Equal(JourneyStage.Cart, survivor.Stage);
        Assert.Equal(T0, survivor.FirstSeenAt);
        Assert.Equal(T0.AddMinutes(50), survivor.LastSeenAt);
    }

    [Fact]
    public void Merge_ConsentOfEachPurpose_NeverTurnsARevocationBackOn()
    {
        var survivor = NewProfile("customer:C1");
        survivor.Consents[ConsentPurposes.Marketing] = new ConsentRecord(ConsentState.Granted, T0.AddMinutes(20));
        survivor.Consents["analytics"] = new ConsentRecord(ConsentState.Granted, T0.AddMinutes(5));
        var merged = NewProfile("loyalty:L1");
        merged.Consents[ConsentPurposes.Marketing] = new ConsentRecord(ConsentState.Granted, T0.AddMinutes(10));
        merged.Consents["analytics"] = new ConsentRecord(ConsentState.Revoked, T0.AddMinutes(1));
        merged.Consents["profiling"] = new ConsentRecord(ConsentState.Granted, T0);

        ProfileProjector.Merge(survivor, merged);

        Assert.Equal(new ConsentRecord(ConsentState.Granted, T0.AddMinutes(20)), survivor.Consents[ConsentPurposes.Marketing]);
        Assert.Equal(new ConsentRecord(ConsentState.Revoked, T0.AddMinutes(5)), survivor.Consents["analytics"]);
        Assert.Equal(new ConsentRecord(ConsentState.Granted, T0), survivor.Consents["profiling"]);
        Assert.Equal((ConsentState.Granted, T0.AddMinutes(20)), (survivor.MarketingConsent, survivor.ConsentChangedAt));
    }

    [Fact]
    public void Apply_ConsentChange_IsKeptPerPurposeAndShownOnThe360()
    {
        var profile = NewProfile("customer:C1");

        ProfileProjector.Apply(profile, Event(CloudEventBuilder.Of(EventTypes.ConsentChanged).Customer("C1").Data("marketing", "revoked").WithTime(T0)));

        var consent = Assert.Single(Core.Customers.Customer360.From(profile).Consents);
        Assert.Equal((ConsentPurposes.Marketing, new ConsentRecord(ConsentState.Revoked, T0)), (consent.Key, consent.Value));
        Assert.Equal(ConsentState.Revoked, profile.MarketingConsent);
    }

    [Fact]
    public void Apply_ProfileStoredBeforeTheJourneyWasKeptAsMoves_GoesOnFromItsStage()
    {
        // As a profile written by the previous version reads back: a stage, no moves.
        var profile = NewProfile("customer:C1");
        (profile.Stage, profile.StageChangedAt, profile.ViewsInJourney) = (JourneyStage.Considering, T0.AddMinutes(10), 4);

        ProfileProjector.Apply(profile, Event(CloudEventBuilder.View().Customer("C1").WithTime(T0.AddMinutes(5))));
        Assert.Equal((JourneyStage.Considering, 4, T0.AddMinutes(10)), (profile.Stage, profile.ViewsInJourney, profile.StageChangedAt));

        ProfileProjector.Apply(profile, Event(CloudEventBuilder.Of(EventTypes.CartItemAdded).Customer("C1").WithTime(T0.AddMinutes(20))));
        Assert.Equal((JourneyStage.Cart, T0.AddMinutes(20)), (profile.Stage, profile.StageChangedAt));
    }

    [Fact]
    public void Merge_AgainOrIntoItself_ChangesNothing()
    {
        var survivor = NewProfile("customer:C1");
        ProfileProjector.Apply(survivor, Event(CloudEventBuilder.View().Customer("C1").WithTime(T0)));
        var merged = NewProfile("device:d-2");
        ProfileProjector.Apply(merged, Event(CloudEventBuilder.View().Anonymous("d-2").WithTime(T0.AddMinutes(1))));
        ProfileProjector.Merge(survivor, merged);
        var before = Copy.Json(survivor);

        ProfileProjector.Merge(survivor, merged);
        ProfileProjector.Merge(survivor, survivor);

        Assert.Equal(before, Copy.Json(survivor));
    }

    [Theory]
    [InlineData(EventTypes.ProductViewed, "viewed SKU-1")]
    [InlineData(EventTypes.CartItemAdded, "added 2 × SKU-1 to cart")]
    [InlineData(EventTypes.CartAbandoned, "abandoned a cart of 2 item(s)")]
    [InlineData(EventTypes.OrderPlaced, "placed order O-1 (pickup, 22.99)")]
    [InlineData(EventTypes.PosSale, "bought 1 line(s) at store 0001 (4.50)")]
    [InlineData(EventTypes.CustomerIdentified, "signed in / identified")]
    [InlineData(EventTypes.GeofenceEntered, "came near store 0001")]
    [InlineData(EventTypes.InventoryAdjusted, "inventory SKU-1 +12")]
    [InlineData(EventTypes.ConsentChanged, "marketing consent granted")]
    public void Summarise_EachType_DescribesTheEvent(string type, string expected)
    {
        Assert.Equal(expected, ProfileProjector.Summarise(Event(CloudEventBuilder.Of(type)).Payload));
    }

    private static CustomerProfile NewProfile(string id) => new() { Id = id, Identities = [id] };

    private static OmniEvent Event(CloudEventBuilder builder) => Decoding.Event(builder);
}
