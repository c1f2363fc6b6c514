using OmniChannel.Azure.EventHubs;
using OmniChannel.Core.Events;
using OmniChannel.Core.Ports;

namespace OmniChannel.Azure.IntegrationTests.Fixtures;

/// <summary>
/// Stands in for the event hub in these tests: turns each published event into the same <c>EventData</c> the
/// Event Hubs producer sends and hands it straight to the ingest handler, one batch per partition key.
/// </summary>
public sealed class DirectIngestPublisher(EventHubBatchHandler handler) : IEventPublisher
{
    private int _published;

    public int Published => _published;

    public async Task PublishAsync(IReadOnlyList<OmniEvent> events, CancellationToken cancellationToken)
    {
        Interlocked.Add(ref _published, events.Count);
        foreach (var group in events.GroupBy(omniEvent => omniEvent.PartitionKey.ToString()))
        {
            await handler.HandleAsync(group.Select(EventHubPublisher.ToEventData).ToArray(), "0", cancellationToken);
        }
    }
}
