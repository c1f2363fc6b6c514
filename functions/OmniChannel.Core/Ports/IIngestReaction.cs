using OmniChannel.Core.Events;

namespace OmniChannel.Core.Ports;

/// <summary>
/// Something ingest sets off once a batch is stored and projected (a pickup order starts its workflow). Reactions
/// must be idempotent: a redelivered batch reacts again.
/// </summary>
public interface IIngestReaction
{
    Task ReactAsync(IReadOnlyList<OmniEvent> events, CancellationToken cancellationToken);
}
