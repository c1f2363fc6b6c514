using System.Globalization;
using System.Text.Json.Nodes;
using OmniChannel.Azure.EventHubs;
using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Core;
using OmniChannel.Core.Stores;
using OmniChannel.Simulation;
using Xunit.Abstractions;
using static OmniChannel.Azure.IntegrationTests.Fixtures.Events;

namespace OmniChannel.Azure.IntegrationTests.Ingest;

/// <summary>
/// Expected outcomes of ingest — a document that is not there yet (a new person's links and profile, a store's first
/// stock of a SKU, a movement not in the ledger) and an event stored before (redelivery) — are answers, not faults:
/// the Cosmos adapters must get them without a single .NET exception (each costs a stack walk, and every await it
/// crosses throws it again).
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class IngestExceptionTests(ServersFixture servers, ITestOutputHelper output)
{
    [Fact]
    public async Task Ingest_NewKnownAndRedeliveredPeople_ThrowsNoExceptions()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var batcher = new EventHubBatcher(EventHubBatchingOptions.Backlog(batchSize: 500, partitionCount: 8));
        var firstDay = batcher.Batch(SimulatedDay(At(0))).ToList();
        var secondDay = batcher.Batch(SimulatedDay(At(0).AddDays(1))).ToList();

        using var recorder = new FirstChanceExceptionRecorder();

        // Day 1 meets everyone for the first time (absent links, profiles, stock); day 2 brings the same people back;
        // then day 2 is delivered again, as Event Hubs redelivers after a lost checkpoint (every create a 409).
        var newPeople = await IngestAsync(backbone, recorder, firstDay);
        var knownPeople = await IngestAsync(backbone, recorder, secondDay);
        var redelivered = await IngestAsync(backbone, recorder, secondDay);

        output.WriteLine($"new people: {newPeople}\nknown people: {knownPeople}\nredelivered: {redelivered}");
        var all = recorder.Recorded;
        if (all.Count > 0)
        {
            output.WriteLine("Sites:\n" + recorder.DescribeSites());
        }

        Assert.True(newPeople.Events > 0 && knownPeople.Events > 0);
        Assert.Equal(0, redelivered.Stored);
        Assert.Empty(all);
    }

    private static IEnumerable<JsonObject> SimulatedDay(DateTimeOffset start) =>
        new OmniDaySimulator(new SimulationOptions(Seed: 11, Customers: 120, StoreSeed.Generate(), start)).Generate();

    private static async Task<Phase> IngestAsync(Backbone backbone, FirstChanceExceptionRecorder recorder, List<EventHubBatch> batches)
    {
        var before = recorder.Recorded.Count;
        var events = 0;
        var stored = 0;
        foreach (var batch in batches)
        {
            var report = await backbone.Get<EventHubBatchHandler>().HandleAsync(
                batch.Events.Select(Backbone.ToEventData).ToArray(), batch.PartitionId.ToString(CultureInfo.InvariantCulture), CancellationToken.None);
            events += batch.Events.Count;
            stored += report.Stored;
        }

        return new Phase(events, stored, recorder.Recorded.Count - before);
    }

    private sealed record Phase(int Events, int Stored, int Exceptions)
    {
        public override string ToString() =>
            $"{Events} events, {Stored} stored, {Exceptions} exceptions = {(double)Exceptions / Events:0.00} per event";
    }
}
