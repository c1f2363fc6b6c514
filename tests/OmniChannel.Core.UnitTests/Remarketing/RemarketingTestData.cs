using OmniChannel.Core.Customers;
using OmniChannel.Core.Events;
using OmniChannel.Core.Identity;
using OmniChannel.Core.Ingest;
using OmniChannel.Core.Profiles;
using OmniChannel.Core.Remarketing;
using OmniChannel.Core.Stores;
using OmniChannel.Core.UnitTests.Builders;
using OmniChannel.Core.UnitTests.Fakes;
using OmniChannel.TestSupport.Fakes;

namespace OmniChannel.Core.UnitTests.Remarketing;

/// <summary>
/// A few stores around lower Manhattan and Brooklyn, a consenting customer who viewed products lately, a geofence
/// rule, and a <see cref="RemarketingService"/> over the shared in-memory stores and the fake clock.
/// </summary>
internal sealed class RemarketingTestData
{
    public const string CustomerId = "C1";

    // The geofence point; about 111 m per 0.001° of latitude.
    public const double Lat = 40.7128;
    public const double Lon = -74.006;

    public static readonly Store Near = new("0001", "Downtown", "New York", "NY", 40.7137, Lon, "America/New_York", true);       // ~100 m
    public static readonly Store Mid = new("0002", "City Hall", "New York", "NY", 40.7155, Lon, "America/New_York", true);       // ~300 m
    public static readonly Store Far = new("0003", "Chelsea", "New York", "NY", 40.7308, Lon, "America/New_York", true);        // ~2 km
    public static readonly Store Brooklyn = new("0004", "Brooklyn Heights", "Brooklyn", "NY", 40.6782, -73.9442, "America/New_York", true);
    public static readonly Store BrooklynMall = new("0005", "Brooklyn Mall", "Brooklyn", "NY", 40.6800, -73.9442, "America/New_York", true); // ~200 m from 0004

    public RemarketingTestData()
    {
        Service = new RemarketingService(Rules, Journey, Coupons, Stores, Inventory, Clock, Insights.Counters(), Attribution, Options);
        Stores.Seed(Near, Mid, Far, Brooklyn, BrooklynMall);
    }

    public Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock { get; } = TestClock.Create();

    public InMemoryRuleStore Rules { get; } = new();

    public InMemoryInsights Insights { get; } = new();

    public InMemoryCouponLedger Coupons { get; } = new();

    public InMemoryAttributionStore Attribution { get; } = new();

    /// <summary>The backbone's remarketing settings (the global control group); change before the first decision.</summary>
    public RemarketingOptions Options { get; } = new();

    public InMemoryStoreDirectory Stores { get; } = new();

    public InMemoryInventoryStore Inventory { get; } = new();

    public InMemoryProfileStore Profiles { get; } = new();

    public InMemoryIdentityLinkStore Links { get; } = new();

    public CustomerJourney Journey => new(Links, Profiles);

    public InMemoryEventStore Events { get; } = new();

    /// <summary>The identity graph over the same links, profiles and events, as ingest stitched them.</summary>
    public ProfileStitcher Stitcher => new(Links, Profiles, Events, Decoding.Decoder(Clock), new IngestOptions());

    /// <summary>Links an app's device to a profile, as a sign-in on it did.</summary>
    public Task LinkDeviceAsync(string deviceId, string profileId = "customer:" + CustomerId) =>
        Links.WriteLinksAsync([KeyValuePair.Create(IdentityKey.Device(deviceId).ToString(), profileId)], CancellationToken.None);

    public RemarketingService Service { get; }

    public static string ProfileId => IdentityKey.Customer(CustomerId).ToString();

    public static RemarketingRule GeofenceRule(string id = "walk-in") =>
        new(id, "Rule " + id, Enabled: true, Priority: 0, RemarketingSignal.GeofenceEntered, RuleConditions.Any, RadiusMeters: 500, Stores: [],
            new Offer(OfferKind.Percent, 15, 30, 48), new FrequencyCap(1, 7), QuietHours: null);

    /// <summary>A consenting customer who viewed <paramref name="viewed"/> (oldest first, one day apart, the last yesterday).</summary>
    public CustomerProfile SeedCustomer(string[]? viewed = null, ConsentState consent = ConsentState.Granted, string? lastStoreId = null, string customerId = CustomerId)
    {
        viewed ??= ["SKU-1"];
        var profileId = IdentityKey.Customer(customerId).ToString();
        var profile = new CustomerProfile
        {
            Id = profileId,
            CustomerId = customerId,
            Identities = [profileId],
            MarketingConsent = consent,
            Stage = JourneyStage.Considering,
            LastStoreId = lastStoreId,
            RecentActivity = viewed
                .Select((sku, index) => new ActivityEntry($"k-{index}", $"e-{index}", EventTypes.ProductViewed, TestClock.Now.AddDays(index - viewed.Length), Channels.Web, null, "Viewed " + sku, sku))
                .Reverse()
                .ToList(),
        };
        Profiles.Seed(profile);
        return profile;
    }

    public CustomerProfile Profile => Profiles.Get(ProfileId)!;

    public static RemarketingInput Geofence(string eventKey = "evt-1", DateTimeOffset? at = null, double lat = Lat, double lon = Lon) =>
        new(CustomerId, eventKey, RemarketingSignal.GeofenceEntered, at ?? TestClock.Now, [], null, Near.Id, lat, lon);

    public static RemarketingInput OnlineView(string sku, string eventKey = "evt-2") =>
        new(CustomerId, eventKey, RemarketingSignal.ProductViewed, TestClock.Now, [sku], null, null, null, null);

    /// <summary>Decides a geofence signal that must fire, and answers its grant.</summary>
    public async Task<RemarketingGrant> GrantAsync(RemarketingInput? input = null)
    {
        var decision = await Service.DecideAsync(input ?? Geofence(), CancellationToken.None);
        return decision.Grant ?? throw new InvalidOperationException("Expected a grant: " + decision.Reason);
    }
}
