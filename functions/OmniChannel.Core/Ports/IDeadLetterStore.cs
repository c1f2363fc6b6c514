namespace OmniChannel.Core.Ports;

/// <summary>Where ingest puts an event it cannot apply, with the reason, so the rest of the batch goes on.</summary>
public interface IDeadLetterStore
{
    Task WriteAsync(DeadLetter letter, CancellationToken cancellationToken);
}
