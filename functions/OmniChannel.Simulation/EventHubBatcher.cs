using System.Text;
using System.Text.Json.Nodes;

namespace OmniChannel.Simulation;

/// <summary>
/// Groups a time-ordered stream of events into the batches an event hub and its trigger would deliver: each event
/// goes to the partition of its partition key (<see cref="CloudEventJson.PartitionKey"/>), so one person's events
/// stay in one partition and in order, and each partition hands over batches as <see cref="EventHubBatchingOptions"/>
/// says. The partition hash is FNV-1a, not the service's own, so the partition numbers differ from a real hub's
/// while the property that matters — same key, same partition — holds.
/// </summary>
public sealed class EventHubBatcher
{
    private readonly EventHubBatchingOptions _options;

    public EventHubBatcher(EventHubBatchingOptions? options = null)
    {
        _options = options ?? new EventHubBatchingOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.PartitionCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MinBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxBatchSize, _options.MinBatchSize);
    }

    /// <summary>The partition a key maps to.</summary>
    public int PartitionOf(string partitionKey)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        var hash = 2_166_136_261u;
        foreach (var value in Encoding.UTF8.GetBytes(partitionKey))
        {
            hash = (hash ^ value) * 16_777_619u;
        }

        return (int)(hash % (uint)_options.PartitionCount);
    }

    /// <summary>The batches, in the order they would be handed over; events must come in time order (as the simulator yields them).</summary>
    public IEnumerable<EventHubBatch> Batch(IEnumerable<JsonObject> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var waiting = new List<(JsonObject Event, DateTimeOffset Time)>?[_options.PartitionCount];
        var nextSequence = new long[_options.PartitionCount];
        foreach (var cloudEvent in events)
        {
            var time = CloudEventJson.Time(cloudEvent);
            if (_options.MaxWaitTime is { } maxWait)
            {
                for (var partition = 0; partition < waiting.Length; partition++)
                {
                    if (waiting[partition] is { Count: > 0 } queue && time - queue[0].Time >= maxWait)
                    {
                        yield return Flush(partition, waiting, nextSequence);
                    }
                }
            }

            var target = PartitionOf(CloudEventJson.PartitionKey(cloudEvent));
            var pending = waiting[target] ??= [];
            pending.Add((cloudEvent, time));
            if (pending.Count >= _options.MinBatchSize)
            {
                yield return Flush(target, waiting, nextSequence);
            }
        }

        for (var partition = 0; partition < waiting.Length; partition++)
        {
            if (waiting[partition] is { Count: > 0 })
            {
                yield return Flush(partition, waiting, nextSequence);
            }
        }
    }

    private static EventHubBatch Flush(int partition, List<(JsonObject Event, DateTimeOffset Time)>?[] waiting, long[] nextSequence)
    {
        var events = waiting[partition]!.Select(item => item.Event).ToList();
        waiting[partition]!.Clear();
        var batch = new EventHubBatch(partition, nextSequence[partition], events);
        nextSequence[partition] += events.Count;
        return batch;
    }
}
