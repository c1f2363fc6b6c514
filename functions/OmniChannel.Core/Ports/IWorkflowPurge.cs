namespace OmniChannel.Core.Ports;

/// <summary>
/// Deletes the history and state of workflow instances that completed; one adapter per host, next to its
/// <see cref="IWorkflowClient"/>. The engine's history otherwise grows without bound, in Azure Storage and in the
/// local host's Azurite alike.
/// </summary>
public interface IWorkflowPurge
{
    /// <summary>
    /// Purges every instance that completed (not failed or terminated: those are kept for people to look into) and was
    /// created before <paramref name="createdBefore"/>. Answers how many instances were purged.
    /// </summary>
    Task<int> PurgeCompletedAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken);
}
