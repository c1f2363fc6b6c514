using OmniChannel.Core.Events;

namespace OmniChannel.Core.Ports;

/// <summary>Hands accepted events to the event hub (or the local host's log), partitioned by identity key.</summary>
public interface IEventPublisher
{
    Task PublishAsync(IReadOnlyList<OmniEvent> events, CancellationToken cancellationToken);
}
