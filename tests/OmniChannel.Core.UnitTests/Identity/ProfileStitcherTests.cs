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

    public ProfileStitcherTests()
        : this(new IdentityOptions())
    {
    }

    private ProfileStitcherTests(IdentityOptions identity) =>
        _stitcher = new ProfileStitcher(_links, _profiles, _events, Decoding.Decoder(), new IngestOptions(), new IdentityRules(identity));

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
        Assert.Equal(expected.JourneySteps, actual.JourneySteps);
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

    [Fact]
    public async Task ApplyAsync_SignInListingAWebAndAnAppDevice_JoinsBothDevicesEarlierViews()
    {
        await ApplyAsync(View("w-1", 1), View("w-1", 2), View("a-1", 3));

        var outcome = await ApplyAsync(Event(CloudEventBuilder.SignIn("C1", "a-1").Data("deviceids", new JsonArray("w-1", "a-1")).WithTime(T0.AddMinutes(10))));

        Assert.Equal(new ProfileStitcher.Outcome(1, 0), outcome);
        var profile = _profiles.Get("customer:C1")!;
        Assert.Equal(["customer:C1", "device:a-1", "device:w-1"], profile.Identities.Order(StringComparer.Ordinal));
        Assert.Equal(4, profile.RecentActivity.Count);
        Assert.Equal("customer:C1", _links.Links["device:w-1"]);
        Assert.Equal("customer:C1", _links.Links["device:a-1"]);
    }

    [Fact]
    public async Task ApplyAsync_SecondCustomerSignsInOnASharedDevice_KeepsTwoPeopleAndRecordsWhy()
    {
        await ApplyAsync(SignIn("A", "kiosk-1", 1));

        var outcome = await ApplyAsync(SignIn("B", "kiosk-1", 5));

        Assert.Equal(0, outcome.Merges);
        Assert.Null(_profiles.Get("customer:B")!.MergedInto);
        Assert.Equal(["customer:A", "device:kiosk-1"], _profiles.Get("customer:A")!.Identities.Order(StringComparer.Ordinal));
        Assert.Equal(["customer:B"], _profiles.Get("customer:B")!.Identities);
        Assert.Equal("customer:A", _links.Links["device:kiosk-1"]);
        var decision = Assert.Single(_profiles.Get("customer:B")!.IdentityDecisions);
        Assert.Equal(("device:kiosk-1", "customer:A"), (decision.Identity, decision.KeptWith));
        Assert.Contains("2 customer ids (limit 1)", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyAsync_TwoCustomersOnOneDeviceInOneBatch_StayTwoPeople()
    {
        var outcome = await ApplyAsync(SignIn("A", "kiosk-1", 1), View("kiosk-1", 2), SignIn("B", "kiosk-1", 5));

        Assert.Equal(new ProfileStitcher.Outcome(2, 0), outcome);
        Assert.Equal(["customer:A", "customer:B"], _profiles.Ids.Order(StringComparer.Ordinal));
        Assert.Equal(2, _profiles.Get("customer:A")!.RecentActivity.Count);
        Assert.Single(_profiles.Get("customer:B")!.RecentActivity);
        Assert.Equal("customer:A", _links.Links["device:kiosk-1"]);
    }

    [Fact]
    public async Task ApplyAsync_SharedDevice_NeverGivesOneCustomersConsentToAnother()
    {
        await ApplyAsync(Consent("B", "revoked", 1), SignIn("A", "tablet", 2), Consent("A", "granted", 3));

        await ApplyAsync(SignIn("B", "tablet", 10), Event(CloudEventBuilder.View().Anonymous("tablet").Customer("B").WithTime(T0.AddMinutes(11))));

        Assert.Equal(ConsentState.Revoked, _profiles.Get("customer:B")!.MarketingConsent);
        Assert.Equal(ConsentState.Granted, _profiles.Get("customer:A")!.MarketingConsent);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("anonymous")]
    [InlineData("UNKNOWN")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("till-placeholder")]
    public async Task ApplyAsync_BlockedCustomerId_LinksNobody(string placeholder)
    {
        var stitcher = new ProfileStitcher(_links, _profiles, _events, Decoding.Decoder(), new IngestOptions(), new IdentityRules(new IdentityOptions { BlockedValues = ["till-placeholder"] }));
        OmniEvent[] batch =
        [
            Event(CloudEventBuilder.View().Anonymous("d-1").Customer(placeholder).WithTime(T0.AddMinutes(1))),
            Event(CloudEventBuilder.View().Anonymous("d-2").Customer(placeholder).WithTime(T0.AddMinutes(2))),
            Event(CloudEventBuilder.Of(EventTypes.PosSale).Customer(placeholder).Loyalty("L1").WithTime(T0.AddMinutes(3))),
        ];
        await _events.AppendAsync(batch, CancellationToken.None);

        await stitcher.ApplyAsync(batch, CancellationToken.None);

        Assert.Equal(["loyalty:L1"], _profiles.Ids);
        Assert.Equal(["loyalty:L1"], _profiles.Get("loyalty:L1")!.Identities);
        Assert.Null(_profiles.Get("loyalty:L1")!.CustomerId);
        Assert.Empty(_links.Links);
    }

    [Fact]
    public async Task ApplyAsync_MoreDevicesThanTheLimit_LeavesTheNewestOutAndSaysWhy()
    {
        var limited = new ProfileStitcherTests(new IdentityOptions { MaxDevices = 2 });
        await limited.ApplyAsync(SignIn("C1", "d-1", 1), SignIn("C1", "d-2", 2));

        await limited.ApplyAsync(SignIn("C1", "d-3", 3));

        var profile = limited._profiles.Get("customer:C1")!;
        Assert.Equal(["customer:C1", "device:d-1", "device:d-2"], profile.Identities.Order(StringComparer.Ordinal));
        Assert.False(limited._links.Links.ContainsKey("device:d-3"));
        Assert.Equal("device:d-3", Assert.Single(profile.IdentityDecisions).Identity);
        Assert.Equal(3, profile.RecentActivity.Count);
    }

    [Fact]
    public async Task ApplyAsync_Merge_KeepsBothPeoplesCouponsRecordsTheMergeAndNeverUndoesARevocation()
    {
        await ApplyAsync(SignIn("C1", "d-1", 1), Consent("C1", "granted", 20));
        await ApplyAsync(Event(CloudEventBuilder.Of(EventTypes.ConsentChanged).NoIdentity().Loyalty("L1").WithData(new JsonObject { ["marketing"] = "revoked" }).WithTime(T0.AddMinutes(10))));
        _profiles.Update("customer:C1", profile => profile.Coupons.Add(Coupon("OC-C1", 1)));
        _profiles.Update("loyalty:L1", profile => profile.Coupons.Add(Coupon("OC-L1", 2)));
        var joining = CloudEventBuilder.SignIn("C1", "d-1").Data("loyaltyid", "L1").WithTime(T0.AddMinutes(30));

        var outcome = await ApplyAsync(Event(joining));

        Assert.Equal(1, outcome.Merges);
        var survivor = _profiles.Get("customer:C1")!;
        Assert.Equal(ConsentState.Revoked, survivor.MarketingConsent);
        Assert.Equal(["OC-C1", "OC-L1"], survivor.Coupons.Select(coupon => coupon.Code).Order(StringComparer.Ordinal));
        var merge = Assert.Single(survivor.Merges);
        Assert.Equal(("loyalty:L1", joining.Id, T0.AddMinutes(30)), (merge.MergedProfileId, merge.EventId, merge.At));
        Assert.Equal(["loyalty:L1"], merge.Identities);
    }

    [Fact]
    public async Task ApplyAsync_GrantAfterAMergedRevocation_TurnsConsentBackOn()
    {
        await ApplyAsync(SignIn("C1", "d-1", 1), Consent("C1", "granted", 20));
        await ApplyAsync(Event(CloudEventBuilder.Of(EventTypes.ConsentChanged).NoIdentity().Loyalty("L1").WithData(new JsonObject { ["marketing"] = "revoked" }).WithTime(T0.AddMinutes(10))));
        await ApplyAsync(Event(CloudEventBuilder.SignIn("C1", "d-1").Data("loyaltyid", "L1").WithTime(T0.AddMinutes(30))));

        await ApplyAsync(Consent("C1", "granted", 15));
        Assert.Equal(ConsentState.Revoked, _profiles.Get("customer:C1")!.MarketingConsent);

        await ApplyAsync(Consent("C1", "granted", 40));
        Assert.Equal(ConsentState.Granted, _profiles.Get("customer:C1")!.MarketingConsent);
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

    private static OmniEvent Consent(string customerId, string marketing, int minute) =>
        Event(CloudEventBuilder.Of(EventTypes.ConsentChanged).NoIdentity().Customer(customerId).WithData(new JsonObject { ["marketing"] = marketing }).WithTime(T0.AddMinutes(minute)));

    private static Core.Remarketing.CouponSummary Coupon(string code, int minute) =>
        new(code, "rule-1", "0001", null, Core.Remarketing.CouponState.Issued, T0.AddMinutes(minute), T0.AddDays(2), null, null);
}
