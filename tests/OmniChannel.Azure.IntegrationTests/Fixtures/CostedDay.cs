using System.Globalization;
using System.Text;
using OmniChannel.Azure.Cosmos;
using OmniChannel.Azure.EventHubs;
using OmniChannel.Core.Stores;
using OmniChannel.Simulation;

namespace OmniChannel.Azure.IntegrationTests.Fixtures;

/// <summary>
/// A simulated day handed to the real ingest handler as the Event Hubs trigger delivers a backlog, with what Cosmos DB
/// was asked to do for it (<see cref="CosmosCostMeter"/>, counted from zero at the day's start) and, when a recorder is
/// given, the exceptions ingest raised.
/// </summary>
public sealed record CostedDay(int Events, int Stored, int Batches, IReadOnlyDictionary<string, ContainerCosts> ByContainer, int Exceptions)
{
    public static async Task<CostedDay> IngestAsync(Backbone backbone, SimulationOptions day, EventHubBatchingOptions batching, FirstChanceExceptionRecorder? recorder = null)
    {
        var events = new OmniDaySimulator(day).Generate().ToList();
        var batches = new EventHubBatcher(batching).Batch(events).ToList();
        backbone.CosmosCosts.Reset();
        recorder?.Reset();
        var stored = 0;
        foreach (var batch in batches)
        {
            var report = await backbone.Get<EventHubBatchHandler>().HandleAsync(
                batch.Events.Select(Backbone.ToEventData).ToArray(), batch.PartitionId.ToString(CultureInfo.InvariantCulture), CancellationToken.None);
            stored += report.Stored;
        }

        return new CostedDay(events.Count, stored, batches.Count, backbone.CosmosCosts.ByContainer, recorder?.Recorded.Count ?? 0);
    }

    /// <summary>A day of <paramref name="customers"/> simulated customers at the 60 seeded stores.</summary>
    public static SimulationOptions Day(int seed, int customers, DateTimeOffset start) => new(seed, customers, StoreSeed.Generate(), start);

    public ContainerCosts Total => ByContainer.Values.Aggregate(new ContainerCosts(), (sum, costs) => sum.Plus(costs));

    public double PerEvent(double count) => count / Events;

    /// <summary>A table of every container's figures, per event, then the totals.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{Events} events ({Stored} stored) in {Batches} batches; {PerEvent(Exceptions):0.00} exceptions per event");
        text.AppendLine("container      | creates | replaces | upserts | refused | bytes/write | point reads found | absent | queries | doc ops | RU      | writes/ev | ops/ev | RU/ev");
        foreach (var (name, costs) in ByContainer.OrderBy(pair => pair.Key, StringComparer.Ordinal).Append(KeyValuePair.Create("TOTAL", Total)))
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{name,-14} | {costs.Creates,7} | {costs.Replaces,8} | {costs.Upserts,7} | {costs.RefusedWrites,7} | {(costs.Writes == 0 ? 0 : costs.BytesWritten / costs.Writes),11} | {costs.PointReadsFound,17} | {costs.PointReadsAbsent,6} | {costs.Queries,7} | {costs.DocumentOperations,7} | {costs.RequestUnits,7:0} | {PerEvent(costs.Writes),9:0.000} | {PerEvent(costs.DocumentOperations),6:0.000} | {PerEvent(costs.RequestUnits),5:0.00}");
        }

        return text.ToString();
    }
}
