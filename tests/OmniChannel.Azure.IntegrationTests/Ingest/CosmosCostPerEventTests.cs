using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Core;
using OmniChannel.Simulation;
using Xunit.Abstractions;
using static OmniChannel.Azure.IntegrationTests.Fixtures.Events;

namespace OmniChannel.Azure.IntegrationTests.Ingest;

/// <summary>
/// The benchmark of issue 20's Cosmos DB rows: a realistic day (1,000 simulated customers, about 9,800 events) ingested
/// by the real handler and Cosmos stores, delivered as the Event Hubs trigger delivers a backlog (full batches of 500
/// over 8 partitions), with every request counted and its request units estimated by <see cref="Cosmos.CosmosCostMeter"/>.
/// It prints writes, document operations and RU per event, per container and in total, and exceptions per event;
/// it asserts only behaviour, never a figure (docs/benchmarks.md records them).
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class CosmosCostPerEventTests(ServersFixture servers, ITestOutputHelper output)
{
    [Fact]
    public async Task Ingest_RealisticDay_EveryEventStoredOnceWithoutExceptions_ReportsCostPerEvent()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        using var recorder = new FirstChanceExceptionRecorder();

        var day = await CostedDay.IngestAsync(backbone, CostedDay.Day(7, 1000, At(0)), EventHubBatchingOptions.Backlog(batchSize: 500, partitionCount: 8), recorder);
        output.WriteLine(day.Describe());

        var stored = await backbone.ReadAllAsync(OmniChannelNames.Containers.Events);
        Assert.Equal(day.Events, day.Stored);
        Assert.Equal(day.Events, stored.Select(document => document.GetProperty("id").GetString()).Distinct().Count());
        Assert.Equal(day.Events, stored.Count);
        Assert.Equal(0, day.Exceptions);
    }
}
