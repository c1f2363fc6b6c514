using System.Text.Json.Nodes;
using Moq;
using OmniChannel.Core.Events;
using OmniChannel.Core.Identity;
using OmniChannel.Core.Ingest;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Profiles;
using OmniChannel.Core.UnitTests.Builders;
using OmniChannel.Core.UnitTests.Fakes;
using OmniChannel.TestSupport.Fakes;

namespace OmniChannel.Core.UnitTests.Identity;

/// <summary>
/// The stitcher runs after ingest stored the batch (<see cref="ApplyAsync"/> stores first, as <see cref="IngestService"/>
/// does), because an anonymous device has no profile of its own: its stored events are folded into the profile it joins.
/// </summary>
public sealed class ProfileStitcherTests
{
    private static readonly DateTimeOffset T0 = TestClock.Now.AddHours(-1);
    private static readonly string Email = "email:" + CloudEventBuilder.EmailHash;

    private readonly InMemoryEventStore _events = new();
    private readonly InMemoryIdentityLinkStore _links = new();
    private readonly InMemoryProfileStore _profiles = new();
    private readonly ProfileStitcher _stitcher;

    public ProfileStitcherTests() => _stitcher = new ProfileStitcher(_links, _profiles, _events, Decoding.Decoder(), new IngestOptions());

    [Fact]
    public async Task ApplyAsync_AnonymousEvents_WriteNoProfileAndNoLink()
    {
        var outcome = await ApplyAsync(View("d-1", 1), View("d-1", 2), View("d-1", 3));

        Assert.Equal(new ProfileStitcher.Outcome(0, 0), outcome);
        Assert.Empty(_profiles.Ids);
        Assert.Equal(0, _links.LinksWritten);
    }

    [Fact]
    public async Task ApplyAsync_AnonymousThenSignIn_EndsInOneCustomerProfileWithTheDevicesHistory()
    {
        await ApplyAsync(View("d-1", 1), View("d-1", 2), View("d-1", 3));

        var outcome = await ApplyAsync(SignIn("C1", "d-1", 10));

        Assert.Equal(new ProfileStitcher.Outcome(1, 0), outcome);
        Assert.Equal(["customer:C1"], _profiles.Ids);
        var profile = _profiles.Get("customer:C1")!;
        Assert.Equal(["customer:C1", "device:d-1"], profile.Identities.Order(StringComparer.Ordinal));
        Assert.Equal("C1", profile.CustomerId);
        Assert.Equal(JourneyStage.Considering, profile.Stage);
        Assert.Equal(4, profile.RecentActivity.Count);
        Assert.Equal(T0.AddMinutes(1), profile.FirstSeenAt);
        Assert.Equal("customer:C1", _links.Links["device:d-1"]);
    }

    [Fact]
    public async Task ApplyAsync_SignInBeforeAnonymousEvents_EndsInTheSameProfile()
    {
        var views = new[] { View("d-1", 1), View("d-1", 2), View("d-1", 3) };
        var signIn = SignIn("C1", "d-1", 10);
        var inOrder = new ProfileStitcherTests();
        await inOrder.ApplyAsync(views);
        await inOrder.ApplyAsync(signIn);

        await ApplyAsync(signIn);
        var outcome = await ApplyAsync(views);

        Assert.Equal(new ProfileStitcher.Outcome(1, 0), outcome);
        Assert.Equal(["customer:C1"], _profiles.Ids);
        var expected = inOrder._profiles.Get("customer:C1")!;
        var actual = _profiles.Get("customer:C1")!;
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Identities.Order(StringComparer.Ordinal), actual.Identities.Order(StringComparer.Ordinal));
        Assert.Equal(expected.AppliedEventKeys.Order(StringComparer.Ordinal), actual.AppliedEventKeys.Order(StringComparer.Ordinal));
        Assert.Equal(expected.Stage, actual.Stage);
        Assert.Equal(expected.LastSeenAt, actual.LastSeenAt);
        Assert.Equal(expected.RecentActivity.Select(entry => entry.EventKey), actual.RecentActivity.Select(entry => entry.EventKey));
    }

    [Fact]
    public async Task ApplyAsync_SignInAndViewsInOneBatch_WriteOneProfileAndOneLink()
    {
        var outcome = await ApplyAsync(View("d-1", 1), SignIn("C1", "d-1", 2), View("d-1", 3), View("d-1", 4));

        Assert.Equal(new ProfileStitcher.Outcome(1, 0), outcome);
        Assert.Equal(["customer:C1"], _profiles.Ids);
        Assert.Equal(1, _profiles.Writes);
        Assert.Equal(1, _links.LinksWritten);
        Assert.Equal(4, _profiles.Get("customer:C1")!.RecentActivity.Count);
    }

    [Fact]
    public async Task ApplyAsync_EventThatJoinsTwoExistingProfiles_MergesThemIntoTheStrongest()
    {
        await ApplyAsync(SignIn("C1", "d-1", 1), Event(CloudEventBuilder.Of(EventTypes.PosSale).Loyalty("L1").WithTime(T0.AddMinutes(2))));
        Assert.Equal(["customer:C1", "loyalty:L1"], _profiles.Ids.Order(StringComparer.Ordinal));

        var outcome = await ApplyAsync(Event(CloudEventBuilder.SignIn("C1", "d-1").Data("loyaltyid", "L1").WithTime(T0.AddMinutes(5))));

        Assert.Equal(new ProfileStitcher.Outcome(2, 1), outcome);
        var survivor = _profiles.Get("customer:C1")!;
        Assert.Equal(["customer:C1", "device:d-1", "loyalty:L1"], survivor.Identities.Order(StringComparer.Ordinal));
        Assert.Equal(3, survivor.RecentActivity.Count);
        Assert.Equal(JourneyStage.Purchased, survivor.Stage);
        Assert.Equal("customer:C1", _profiles.Get("loyalty:L1")!.MergedInto);
        Assert.Equal("customer:C1", _links.Links["loyalty:L1"]);
    }

    [Fact]
    public async Task ApplyAsync_CustomerJoinsTwoStitchedProfiles_RelinksEveryIdentityToTheSurvivor()
    {
        await ApplyAsync(SignIn("C1", "d-1", 1));
        await ApplyAsync(Event(CloudEventBuilder.Of(EventTypes.CustomerIdentified).Anonymous("d-2").Email(CloudEventBuilder.EmailHash)
            .WithData(new JsonObject { ["deviceid"] = "d-2" }).WithTime(T0.AddMinutes(2))));
        Assert.Equal(Email, _links.Links["device:d-2"]);

        var outcome = await ApplyAsync(Event(CloudEventBuilder.View().Anonymous("d-2").Customer("C1").WithTime(T0.AddMinutes(3))));

        Assert.Equal(1, outcome.Merges);
        Assert.Equal("customer:C1", _links.Links["device:d-2"]);
        Assert.Equal("customer:C1", _links.Links[Email]);
        Assert.Equal(["customer:C1", "device:d-1", "device:d-2", Email], _profiles.Get("customer:C1")!.Identities.Order(StringComparer.Ordinal));

        var lateOutcome = await ApplyAsync(View("d-2", 4));
        Assert.Equal(new ProfileStitcher.Outcome(1, 0), lateOutcome);
        Assert.Equal(4, _profiles.Get("customer:C1")!.RecentActivity.Count);
    }

    [Fact]
    public async Task ApplyAsync_LinkToAMergedProfile_FollowsThePointerToTheSurvivor()
    {
        // A link left pointing at a profile that was merged since (a crash between the merge and the relinking).
        _profiles.Seed(new CustomerProfile { Id = "loyalty:L9", MergedInto = "customer:C9" });
        _profiles.Seed(new CustomerProfile { Id = "customer:C9", CustomerId = "C9", Identities = ["customer:C9", "loyalty:L9"] });
        await _links.WriteLinksAsync([KeyValuePair.Create("device:d-9", "loyalty:L9")], CancellationToken.None);

        await ApplyAsync(View("d-9", 5));

        var survivor = _profiles.Get("customer:C9")!;
        Assert.Single(survivor.RecentActivity);
        Assert.Contains("device:d-9", survivor.Identities);
        Assert.Equal("customer:C9", _links.Links["device:d-9"]);
    }

    [Fact]
    public async Task ApplyAsync_SameBatchAgain_WritesNothing()
    {
        var batch = new[] { View("d-1", 1), SignIn("C1", "d-1", 2), View("d-2", 3), Event(CloudEventBuilder.Of(EventTypes.PosSale).WithTime(T0.AddMinutes(4))) };
        await ApplyAsync(batch);
        var writes = (_profiles.Writes, _links.LinksWritten);
        var content = (_profiles.Json("customer:C1"), _profiles.Json("loyalty:L1"));

        var outcome = await ApplyAsync(batch);

        Assert.Equal(new ProfileStitcher.Outcome(0, 0), outcome);
        Assert.Equal(writes, (_profiles.Writes, _links.LinksWritten));
        Assert.Equal(content, (_profiles.Json("customer:C1"), _profiles.Json("loyalty:L1")));
    }

    [Fact]
    public async Task ApplyAsync_SeveralPeopleInOneBatch_OneWriteEach()
    {
        var outcome = await ApplyAsync(
            Customer("C1", "d-1", 1), Customer("C2", "d-2", 2), Customer("C1", "d-1", 3), Customer("C3", "d-3", 4), Customer("C2", "d-2", 5));

        Assert.Equal(new ProfileStitcher.Outcome(3, 0), outcome);
        Assert.Equal(3, _profiles.Writes);
        Assert.Equal(1, _links.ReadCalls);
        Assert.Equal(2, _profiles.Get("customer:C1")!.RecentActivity.Count);
    }

    [Fact]
    public async Task ApplyAsync_StoreOnlyEvents_TouchNoProfile()
    {
        var links = new Mock<IIdentityLinkStore>(MockBehavior.Strict);
        var profiles = new Mock<IProfileStore>(MockBehavior.Strict);
        var events = new Mock<IEventStore>(MockBehavior.Strict);
        var stitcher = new ProfileStitcher(links.Object, profiles.Object, events.Object, Decoding.Decoder(), new IngestOptions());

        var outcome = await stitcher.ApplyAsync([Event(CloudEventBuilder.Adjustment("0001", "SKU-1", 5))], CancellationToken.None);

        Assert.Equal(new ProfileStitcher.Outcome(0, 0), outcome);
    }

    [Fact]
    public async Task ApplyAsync_ConflictOnSave_RereadsAndKeepsTheOtherWritersChange()
    {
        await ApplyAsync(SignIn("C1", "d-1", 1));
        _profiles.ConcurrentWriterOnNextSave = other => other.LastStoreId = "0042";

        var outcome = await ApplyAsync(View("d-1", 5));

        Assert.Equal(new ProfileStitcher.Outcome(1, 0), outcome);
        Assert.Equal(1, _profiles.Conflicts);
        var profile = _profiles.Get("customer:C1")!;
        Assert.Equal("0042", profile.LastStoreId);
        Assert.Equal(2, profile.RecentActivity.Count);
        Assert.Equal(3, _links.ReadCalls);
    }

    [Fact]
    public async Task ApplyAsync_ConflictEveryTime_GivesUpAfterTheConfiguredRetries()
    {
        var profiles = new Mock<IProfileStore>();
        profiles.Setup(store => store.ReadManyAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([]);
        profiles.Setup(store => store.SaveAsync(It.IsAny<CustomerProfile>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new StorageConflictException("412"));
        var stitcher = new ProfileStitcher(_links, profiles.Object, _events, Decoding.Decoder(), new IngestOptions { ConflictRetries = 3 });

        await Assert.ThrowsAsync<StorageConflictException>(() => stitcher.ApplyAsync([Customer("C1", "d-1", 1)], CancellationToken.None));

        profiles.Verify(store => store.SaveAsync(It.IsAny<CustomerProfile>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()), Times.Exactly(3));
    }

    [Fact]
    public async Task ApplyAsync_PointerToAMissingProfile_StillFinishes()
    {
        _profiles.Seed(new CustomerProfile { Id = "loyalty:L9", MergedInto = "customer:C404" });

        var outcome = await ApplyAsync(Event(CloudEventBuilder.Of(EventTypes.PosSale).Loyalty("L9").WithTime(T0)));

        Assert.Equal(1, outcome.ProfilesWritten);
        Assert.Contains("loyalty:L9", _profiles.Get("customer:C404")!.Identities);
    }

    private async Task<ProfileStitcher.Outcome> ApplyAsync(params OmniEvent[] events)
    {
        await _events.AppendAsync(events, CancellationToken.None);
        return await _stitcher.ApplyAsync(events, CancellationToken.None);
    }

    private static OmniEvent View(string deviceId, int minute) => Event(CloudEventBuilder.View().Anonymous(deviceId).WithTime(T0.AddMinutes(minute)));

    private static OmniEvent Customer(string customerId, string deviceId, int minute) =>
        Event(CloudEventBuilder.View().Anonymous(deviceId).Customer(customerId).WithTime(T0.AddMinutes(minute)));

    private static OmniEvent SignIn(string customerId, string deviceId, int minute) => Event(CloudEventBuilder.SignIn(customerId, deviceId).WithTime(T0.AddMinutes(minute)));

    private static OmniEvent Event(CloudEventBuilder builder) => Decoding.Event(builder);
}
