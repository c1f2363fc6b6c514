namespace OmniChannel.Core.Ports;

/// <summary>Where ingest puts an event it cannot apply, with the reason, so the rest of the batch goes on.</summary>
public interface IDeadLetterStore
{
    Task WriteAsync(DeadLetter letter, CancellationToken cancellationToken);

    /// <summary>The dead letters of one UTC day (<c>yyyy-MM-dd</c>) by failure time, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<DeadLetter>> ListAsync(string day, int limit, CancellationToken cancellationToken);

    /// <summary>Removes a dead letter once its event has been applied (idempotent).</summary>
    Task DeleteAsync(DeadLetter letter, CancellationToken cancellationToken);
}
