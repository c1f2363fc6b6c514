using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OmniChannel.Core.Customers;
using OmniChannel.Core.Events;
using OmniChannel.Core.Identity;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Profiles;
using OmniChannel.Core.Remarketing;
using OmniChannel.Core.Stores;
using OmniChannel.TestSupport.Fakes;
using OmniChannel.Workflows.Bopis;
using OmniChannel.Workflows.Remarketing;
using OmniChannel.Workflows.Tests.Fakes;
using OmniChannel.Workflows.Tests.Versioning;

namespace OmniChannel.Workflows.Tests.Remarketing;

/// <summary>
/// The real remarketing orchestrator and activities (and BOPIS's <c>NotifyCustomer</c>, which it calls) on the Durable
/// Task in-process host, with the real <see cref="RemarketingService"/> and <see cref="CustomerJourney"/> over
/// in-memory stores, a recording notification sender and a settable clock for the services.
/// </summary>
public sealed class RemarketingTestHost : InProcessHost
{
    public const string CustomerId = "C1";
    public const string Sku = "SKU-1";

    public static readonly Store Downtown = new("0001", "Downtown", "New York", "NY", 40.7128, -74.006, "America/New_York", true);
    public static readonly Store CityHall = new("0002", "City Hall", "New York", "NY", 40.7155, -74.006, "America/New_York", true);

    private RemarketingTestHost(DateTimeOffset servicesNow)
        : base(defaultTimeout: TimeSpan.FromSeconds(20))
    {
        Clock = new FakeTimeProvider(servicesNow);
        Service = new RemarketingService(Rules, Journey, Coupons, Stores, Inventory, Clock, Insights.Counters(), Attribution, Options);
    }

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

    public RecordingNotificationSender Notifications { get; } = new();

    /// <summary>The services' clock (issue time, expiry); the orchestrator keeps the host's own.</summary>
    public FakeTimeProvider Clock { get; }

    public CustomerJourney Journey => new(Links, Profiles);

    /// <summary>The instance the activities use, for redemptions as ingest makes them.</summary>
    public RemarketingService Service { get; }

    public static string ProfileId => IdentityKey.Customer(CustomerId).ToString();

    public CustomerProfile Profile => Profiles.Get(ProfileId)!;

    /// <summary>A geofence rule (no quiet hours: the tests run at any hour) with coupons valid for <paramref name="validHours"/>.</summary>
    public static RemarketingRule Rule(int validHours = 48) =>
        new("walk-in", "Walked past a store", Enabled: true, Priority: 0, RemarketingSignal.GeofenceEntered, RuleConditions.Any with { ViewedWithinDays = 14 },
            RadiusMeters: 500, Stores: [], new Offer(OfferKind.Percent, 15, 30, validHours), new FrequencyCap(1, 7), QuietHours: null);

    /// <summary>
    /// Starts the host; the services' clock starts at <paramref name="servicesNow"/> (default: now). A fake clock cannot
    /// go back, and the host's durable timers cannot be fast-forwarded: a clock set back makes coupons born expired.
    /// </summary>
    public static async Task<RemarketingTestHost> StartAsync(DateTimeOffset? servicesNow = null, WorkItemRecorder? recorder = null)
    {
        var self = new RemarketingTestHost(servicesNow ?? DateTimeOffset.UtcNow);
        self.Stores.Seed(Downtown, CityHall);
        self.Inventory.Stock(CityHall.Id, Sku, 4);
        self.Profiles.Seed(new CustomerProfile
        {
            Id = ProfileId,
            CustomerId = CustomerId,
            Identities = [ProfileId],
            MarketingConsent = ConsentState.Granted,
            Stage = JourneyStage.Considering,
            RecentActivity = [new ActivityEntry("k-1", "e-1", EventTypes.ProductViewed, DateTimeOffset.UtcNow.AddDays(-1), Channels.Web, null, "Viewed " + Sku, Sku)],
        });
        await self.StartHostAsync(
            registry => registry.AddRemarketingWorkflow().AddActivity(nameof(NotifyCustomer), typeof(NotifyCustomer)),
            services =>
            {
                services.AddSingleton<IRuleStore>(self.Rules);
                services.AddSingleton<ICouponLedger>(self.Coupons);
                services.AddSingleton<IStoreDirectory>(self.Stores);
                services.AddSingleton<IInventoryStore>(self.Inventory);
                services.AddSingleton<IProfileStore>(self.Profiles);
                services.AddSingleton<IIdentityLinkStore>(self.Links);
                services.AddSingleton<INotificationSender>(self.Notifications);
                services.AddSingleton<TimeProvider>(self.Clock);
                services.AddSingleton<CustomerJourney>();
                services.AddSingleton(self.Service);
            },
            recorder);
        return self;
    }

    /// <summary>The customer walked into the geofence of the downtown store just now.</summary>
    public static RemarketingInput Geofence(string eventKey) =>
        new(CustomerId, eventKey, RemarketingSignal.GeofenceEntered, DateTimeOffset.UtcNow, [], null, Downtown.Id, Downtown.Latitude, Downtown.Longitude);

    /// <summary>Starts the instance for the signal as ingest does (named for the event); answers its id.</summary>
    public Task<string> StartAsync(RemarketingInput input) =>
        Client.ScheduleNewOrchestrationInstanceAsync(
            RemarketingWorkflow.OrchestrationName, input, Versioned.Start(RemarketingWorkflow.OrchestrationName, RemarketingWorkflow.InstanceIdFor(input.EventKey)));

    /// <summary>Polls the custom status until it matches (the workflow reports every step there).</summary>
    public Task<RemarketingProgress> WaitForProgressAsync(string instanceId, Func<RemarketingProgress, bool> reached, TimeSpan? timeout = null) =>
        WaitForCustomStatusAsync(instanceId, reached, timeout);

    /// <summary>Waits for the instance to end; answers its output (throws if it failed).</summary>
    public async Task<RemarketingProgress> WaitForOutcomeAsync(string instanceId)
    {
        var done = await WaitForCompletionAsync(instanceId);
        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{instanceId} ended {done.RuntimeStatus}: {done.FailureDetails?.ErrorMessage}");
        return done.ReadOutputAs<RemarketingProgress>()!;
    }
}
