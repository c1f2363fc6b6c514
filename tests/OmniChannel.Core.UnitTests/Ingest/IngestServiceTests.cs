using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OmniChannel.Core.Events;
using OmniChannel.Core.Ingest;
using OmniChannel.Core.Insights;
using OmniChannel.Core.Stores;
using OmniChannel.Core.UnitTests.Builders;
using OmniChannel.Core.UnitTests.Fakes;
using OmniChannel.Simulation;

namespace OmniChannel.Core.UnitTests.Ingest;

public sealed class IngestServiceTests
{
    private static readonly DateTimeOffset T0 = TestClock.Now.AddHours(-1);

    private readonly IngestHarness _harness = new();

    [Fact]
    public async Task IngestAsync_AnonymousThenSignInBatches_EndInOneCustomerProfileWithTheDevice()
    {
        await _harness.IngestAsync(View("d-1", 1), View("d-1", 2));

        var report = await _harness.IngestAsync(SignIn("C1", "d-1", 5));

        Assert.Equal(1, report.ProfilesWritten);
        Assert.Equal(["customer:C1"], _harness.Profiles.Ids);
        var profile = _harness.Profiles.Get("customer:C1")!;
        Assert.Equal(["customer:C1", "device:d-1"], profile.Identities.Order(StringComparer.Ordinal));
        Assert.Equal(3, profile.RecentActivity.Count);
        Assert.Equal(3, _harness.Events.Events.Count);
    }

    [Fact]
    public async Task IngestAsync_SignInFirst_EndsInTheSameProfileIdAndIdentities()
    {
        var inOrder = new IngestHarness();
        var views = new[] { View("d-1", 1), View("d-1", 2) };
        var signIn = SignIn("C1", "d-1", 5);
        await inOrder.IngestAsync(views);
        await inOrder.IngestAsync(signIn);

        await _harness.IngestAsync(signIn);
        await _harness.IngestAsync(views);

        var expected = inOrder.Profiles.Get("customer:C1")!;
        var actual = _harness.Profiles.Get("customer:C1")!;
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Identities.Order(StringComparer.Ordinal), actual.Identities.Order(StringComparer.Ordinal));
        Assert.Equal(expected.RecentActivity.Select(entry => entry.EventKey), actual.RecentActivity.Select(entry => entry.EventKey));
        Assert.DoesNotContain("device:d-1", _harness.Profiles.Ids);
    }

    [Fact]
    public async Task IngestAsync_TwoExistingProfilesJoined_MergeIntoOne()
    {
        var email = "email:" + CloudEventBuilder.EmailHash;
        await _harness.IngestAsync(CloudEventBuilder.Sale("0001", ("SKU-1", 1)).WithTime(T0.AddMinutes(1)));
        await _harness.IngestAsync(CloudEventBuilder.Sale("0002", ("SKU-2", 1)).Remove("loyaltyid").Email(CloudEventBuilder.EmailHash).WithTime(T0.AddMinutes(2)));
        Assert.Equal([email, "loyalty:L1"], _harness.Profiles.Ids.Order(StringComparer.Ordinal));

        var report = await _harness.IngestAsync(SignIn("C1", "d-1", 3).Data("loyaltyid", "L1").Data("emailhash", CloudEventBuilder.EmailHash));

        Assert.Equal(2, report.Merges);
        Assert.Equal(3, report.ProfilesWritten);
        var profile = _harness.Profiles.Get("customer:C1")!;
        Assert.Equal(["customer:C1", "device:d-1", email, "loyalty:L1"], profile.Identities.Order(StringComparer.Ordinal));
        Assert.Equal(3, profile.RecentActivity.Count);
        Assert.Equal("customer:C1", _harness.Profiles.Get("loyalty:L1")!.MergedInto);
        Assert.Equal("customer:C1", _harness.Profiles.Get(email)!.MergedInto);
    }

    [Fact]
    public async Task IngestAsync_RedeliveredBatch_ChangesNothing()
    {
        var batch = IngestHarness.Messages(
            View("d-1", 1), SignIn("C1", "d-1", 2), View("d-2", 3),
            CloudEventBuilder.Adjustment("0001", "SKU-1", 10).WithTime(T0.AddMinutes(4)),
            CloudEventBuilder.Sale("0001", ("SKU-1", 2)).WithTime(T0.AddMinutes(5)));
        await _harness.Service.IngestAsync(batch, CancellationToken.None);
        var before = Counters();
        var profile = _harness.Profiles.Json("customer:C1");

        var report = await _harness.Service.IngestAsync(batch, CancellationToken.None);

        Assert.Equal(new IngestReport(5, 0, 5, 0, 0, 0, 0), report);
        Assert.Equal(before, Counters());
        Assert.Equal(profile, _harness.Profiles.Json("customer:C1"));
        Assert.Equal(8, _harness.Inventory.Get("0001", "SKU-1")!.OnHand);
    }

    [Fact]
    public async Task IngestAsync_SameEventTwiceInOneBatch_IsAppliedOnce()
    {
        var view = View("d-1", 1).Customer("C1");

        var report = await _harness.IngestAsync(view, view, View("d-1", 2).Customer("C1"));

        Assert.Equal(3, report.Received);
        Assert.Equal(2, report.Stored);
        Assert.Equal(2, _harness.Profiles.Get("customer:C1")!.RecentActivity.Count);
    }

    [Fact]
    public async Task IngestAsync_SeveralEventsOfOneCustomer_CostOneProfileWrite()
    {
        var report = await _harness.IngestAsync(
            SignIn("C1", "d-1", 1),
            View("d-1", 2).Customer("C1"),
            CloudEventBuilder.Of(EventTypes.CartItemAdded).Anonymous("d-1").Customer("C1").WithTime(T0.AddMinutes(3)),
            CloudEventBuilder.Of(EventTypes.OrderPlaced).Anonymous("d-1").Customer("C1").WithTime(T0.AddMinutes(4)),
            CloudEventBuilder.Of(EventTypes.ConsentChanged).Anonymous("d-1").Customer("C1").WithTime(T0.AddMinutes(5)));

        Assert.Equal(1, report.ProfilesWritten);
        Assert.Equal(1, _harness.Profiles.Writes);
        Assert.Equal(1, _harness.Events.AppendCalls);
        Assert.Equal(5, _harness.Events.DocumentsWritten);
    }

    [Fact]
    public async Task IngestAsync_PoisonMessages_AreDeadLetteredAndTheRestApplied()
    {
        var good = View("d-1", 1).Customer("C1");
        var contractBreaking = CloudEventBuilder.View().WithChannel("fax").Bytes();
        var notJson = new byte[] { 0x00, 0xFF, 0x13, 0x37 };
        var notAnObject = Encoding.UTF8.GetBytes("[1, 2]");
        var messages = new List<IngestMessage>
        {
            new(contractBreaking, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "3", 41),
            new(good.Bytes(), null, "3", 42),
            new(notJson, null, "3", 43),
            new(notAnObject, null, null, null),
            new(View("d-2", 2).Customer("C2").Bytes(), null, "3", 44),
        };

        var report = await _harness.Service.IngestAsync(messages, CancellationToken.None);

        Assert.Equal(new IngestReport(5, 2, 0, 3, 2, 0, 0), report);
        var letters = _harness.DeadLetters.Letters;
        Assert.Equal(["3-41", "3-43"], letters.Take(2).Select(letter => letter.Id));
        Assert.Equal(32, letters[2].Id.Length);
        Assert.Contains("channel", letters[0].Reason, StringComparison.Ordinal);
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", letters[0].TraceParent);
        Assert.Equal(TestClock.Now, letters[0].FailedAt);
        Assert.Equal(Encoding.UTF8.GetString(contractBreaking), letters[0].Body);
        Assert.Equal(["customer:C1", "customer:C2"], _harness.Profiles.Ids.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task IngestAsync_TransientFaultOnce_RetriesAfterBackoffWithoutDuplicates()
    {
        _harness.Events.TransientFaults = 1;
        var ingest = _harness.IngestAsync(View("d-1", 1), SignIn("C1", "d-1", 2), CloudEventBuilder.Adjustment("0001", "SKU-1", 4).WithTime(T0.AddMinutes(3)));

        Assert.False(ingest.IsCompleted);
        _harness.Clock.Advance(_harness.Options.TransientBackoff);
        var report = await ingest;

        Assert.Equal(new IngestReport(3, 3, 0, 0, 1, 0, 1), report);
        Assert.Equal(2, _harness.Events.AppendCalls);
        Assert.Equal(3, _harness.Events.DocumentsWritten);
        Assert.Equal(1, _harness.Profiles.Writes);
        Assert.Equal(4, _harness.Inventory.Get("0001", "SKU-1")!.OnHand);
        Assert.Empty(_harness.DeadLetters.Letters);
    }

    [Fact]
    public async Task IngestAsync_TransientFaultsBeyondTheRetries_PassTheFaultOn()
    {
        var harness = new IngestHarness(new IngestOptions { TransientRetries = 1, TransientBackoff = TimeSpan.FromSeconds(1) });
        harness.Events.TransientFaults = 2;
        var ingest = harness.IngestAsync(View("d-1", 1));

        harness.Clock.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<Ports.TransientStorageException>(() => ingest);
        Assert.Equal(2, harness.Events.AppendCalls);
        Assert.Equal(0, harness.Profiles.Writes);
    }

    [Fact]
    public async Task IngestAsync_EtagConflictOnProfileSave_IsRetried()
    {
        await _harness.IngestAsync(SignIn("C1", "d-1", 1));
        _harness.Profiles.ConcurrentWriterOnNextSave = other => other.LastStoreId = "0042";

        var report = await _harness.IngestAsync(View("d-1", 2).Customer("C1"));

        Assert.Equal(1, report.ProfilesWritten);
        Assert.Equal(1, _harness.Profiles.Conflicts);
        var profile = _harness.Profiles.Get("customer:C1")!;
        Assert.Equal(2, profile.RecentActivity.Count);
        Assert.Equal("0042", profile.LastStoreId);
    }

    [Fact]
    public async Task IngestAsync_AdjustmentsAndSaleLines_MoveOnHandOnceEvenWhenRedelivered()
    {
        var batch = IngestHarness.Messages(
            CloudEventBuilder.Adjustment("0001", "SKU-1", 10).WithTime(T0),
            CloudEventBuilder.Adjustment("0001", "SKU-2", 3).WithTime(T0.AddMinutes(1)),
            CloudEventBuilder.Sale("0001", ("SKU-1", 2), ("SKU-2", 1), ("SKU-1", 1)).WithTime(T0.AddMinutes(2)),
            CloudEventBuilder.Sale("0002", ("SKU-1", 1)).WithTime(T0.AddMinutes(3)));

        var first = await _harness.Service.IngestAsync(batch, CancellationToken.None);
        var again = await _harness.Service.IngestAsync(batch, CancellationToken.None);

        Assert.Equal(3, first.InventoryItemsWritten);
        Assert.Equal(0, again.InventoryItemsWritten);
        Assert.Equal(3, _harness.Inventory.Writes);
        Assert.Equal(7, _harness.Inventory.Get("0001", "SKU-1")!.OnHand);
        Assert.Equal(2, _harness.Inventory.Get("0001", "SKU-2")!.OnHand);
        Assert.Equal(-1, _harness.Inventory.Get("0002", "SKU-1")!.OnHand);
    }

    [Fact]
    public async Task IngestAsync_SimulatedDayInEventHubBatches_StoresAllOnceAndRedeliveryWritesNothing()
    {
        var simulator = new OmniDaySimulator(new SimulationOptions(7, 150, StoreSeed.Generate(), TestClock.Now.AddDays(-2)));
        var batches = new EventHubBatcher(new EventHubBatchingOptions { PartitionCount = 4, MinBatchSize = 40, MaxBatchSize = 100, MaxWaitTime = null })
            .Batch(simulator.Generate())
            .Select(batch => batch.ToIngestMessages())
            .ToList();
        var total = batches.Sum(batch => batch.Count);

        foreach (var batch in batches)
        {
            var report = await _harness.Service.IngestAsync(batch, CancellationToken.None);
            Assert.Equal(0, report.DeadLettered);
        }

        var writes = Counters();
        foreach (var batch in batches)
        {
            await _harness.Service.IngestAsync(batch, CancellationToken.None);
        }

        Assert.Equal(total, _harness.Events.DocumentsWritten);
        Assert.Equal(writes, Counters());
        Assert.Contains(simulator.Customers, customer => _harness.Profiles.Get("customer:" + customer.CustomerId) is not null);
    }

    private (int Events, int Profiles, int Links, int Inventory, int DeadLetters) Counters() =>
        (_harness.Events.DocumentsWritten, _harness.Profiles.Writes, _harness.Links.LinksWritten, _harness.Inventory.Writes, _harness.DeadLetters.Letters.Count);

    [Fact]
    public async Task IngestAsync_CountsTheNewlyStoredEventsPerChannelOnTheIngestDay_ARedeliveryCountsNothing()
    {
        var web = View("d-1", 1).WithId("w-1").WithChannel(Channels.Web);
        var app = View("d-2", 2).WithId("a-1").WithChannel(Channels.App);
        await _harness.IngestAsync(web, View("d-1", 3).WithId("w-2").WithChannel(Channels.Web), app);

        await _harness.IngestAsync(web, View("d-3", 4).WithId("p-1").WithChannel(Channels.Pos));

        var today = InsightSample.DayOf(TestClock.Now);
        Assert.Equal(
            [
                new InsightSample(today, InsightMetric.Events(Channels.Web), 2),
                new InsightSample(today, InsightMetric.Events(Channels.App), 1),
                new InsightSample(today, InsightMetric.Events(Channels.Pos), 1),
            ],
            _harness.Insights.Samples);
    }

    [Fact]
    public async Task IngestAsync_TheCountersAreDown_TheBatchIsStillIngested()
    {
        _harness.Insights.FailWith = new InvalidOperationException("table unavailable");

        var report = await _harness.IngestAsync(View("d-1", 1), View("d-1", 2));

        Assert.Equal(2, report.Stored);
        Assert.Equal(2, _harness.Events.Events.Count);
    }

    [Fact]
    public async Task BatchLogLine_NamesTheTraceIdOfEveryCollectRequestBehindTheBatch_Once()
    {
        var logger = new FakeLogger<IngestService>();
        var harness = new IngestHarness(logger: logger);
        var messages = new List<IngestMessage>
        {
            new(View("d-1", 1).Bytes(), "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "0", 1),
            new(View("d-2", 2).Bytes(), "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b8-01", "0", 2),
            new(View("d-3", 3).Bytes(), "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "0", 3),
            new(View("d-4", 4).Bytes(), null, "0", 4),
            new(View("d-5", 5).Bytes(), "not a traceparent", "0", 5),
        };

        await harness.Service.IngestAsync(messages, CancellationToken.None);

        var line = Assert.Single(logger.Collector.GetSnapshot(), record => record.Level == LogLevel.Information && record.Message.StartsWith("Ingested batch", StringComparison.Ordinal));
        Assert.EndsWith("; trace ids 4bf92f3577b34da6a3ce929d0e0e4736 0af7651916cd43dd8448eb211c80319c", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BatchLogLine_FromManyRequests_ShowsTheFirstFiftyTraceIds_AndCountsTheRest()
    {
        var logger = new FakeLogger<IngestService>();
        var harness = new IngestHarness(logger: logger);
        var messages = Enumerable.Range(1, 60)
            .Select(index => new IngestMessage(View($"d-{index}", index).Bytes(), $"00-{index:x32}-00f067aa0ba902b7-01", "0", index))
            .ToList();

        await harness.Service.IngestAsync(messages, CancellationToken.None);

        var line = logger.Collector.GetSnapshot().Single(record => record.Message.StartsWith("Ingested batch", StringComparison.Ordinal)).Message;
        Assert.Contains($" {1:x32} ", line, StringComparison.Ordinal);
        Assert.Contains($" {50:x32} (+10 more, per event at Debug)", line, StringComparison.Ordinal);
        Assert.DoesNotContain($"{51:x32}", line, StringComparison.Ordinal);
    }

    private static CloudEventBuilder View(string deviceId, int minute) => CloudEventBuilder.View().Anonymous(deviceId).WithTime(T0.AddMinutes(minute));

    private static CloudEventBuilder SignIn(string customerId, string deviceId, int minute) => CloudEventBuilder.SignIn(customerId, deviceId).WithTime(T0.AddMinutes(minute));
}
