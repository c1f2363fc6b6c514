using OmniChannel.Azure.EventHubs;
using OmniChannel.Core.Events;
using OmniChannel.Core.Ports;

namespace OmniChannel.Local.EventLog;

/// <summary>The collect API's publisher in the local host: the same message bytes the Event Hubs producer sends, appended to the local log.</summary>
public sealed class EventLogPublisher(FileEventLog log) : IEventPublisher
{
    public async Task PublishAsync(IReadOnlyList<OmniEvent> events, CancellationToken cancellationToken)
    {
        var byPartition = events
            .Select(omniEvent =>
            {
                var data = EventHubPublisher.ToEventData(omniEvent);
                var partitionKey = omniEvent.PartitionKey.ToString();
                return (Partition: log.PartitionOf(partitionKey), Record: new LogRecord(data.EventBody.ToArray(), partitionKey, omniEvent.TraceParent));
            })
            .GroupBy(item => item.Partition);

        // Partitions are independent; append them side by side.
        await Task.WhenAll(byPartition.Select(group => log.AppendAsync(group.Key, group.Select(item => item.Record).ToList(), cancellationToken)));
    }
}
