using System.Collections.Concurrent;
using OmniChannel.Core.Events;
using OmniChannel.Core.Ports;

namespace OmniChannel.Azure.IntegrationTests.Fixtures;

/// <summary>Stands in for the event hub where a test feeds ingest itself: records what would be published.</summary>
public sealed class RecordingEventPublisher : IEventPublisher
{
    public ConcurrentQueue<OmniEvent> Published { get; } = new();

    public Task PublishAsync(IReadOnlyList<OmniEvent> events, CancellationToken cancellationToken)
    {
        foreach (var omniEvent in events)
        {
            Published.Enqueue(omniEvent);
        }

        return Task.CompletedTask;
    }
}
