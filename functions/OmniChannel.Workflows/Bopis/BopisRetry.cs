using Microsoft.DurableTask;
using OmniChannel.Core.Ports;

namespace OmniChannel.Workflows.Bopis;

/// <summary>
/// How the workflow retries its activities: with back-off, and only for failures that a later attempt can fix. A
/// permanent error (a missing order, a bug) fails at once, and the workflow compensates.
/// </summary>
public static class BopisRetry
{
    public static RetryPolicy Policy { get; } = new(
        maxNumberOfAttempts: 5,
        firstRetryInterval: TimeSpan.FromSeconds(1),
        backoffCoefficient: 2,
        maxRetryInterval: TimeSpan.FromSeconds(30))
    {
        HandleFailure = IsTransient,
    };

    public static TaskOptions Options { get; } = TaskOptions.FromRetryPolicy(Policy);

    /// <summary>The failures a later attempt can fix, by type name: the failure carries only the name.</summary>
    private static readonly string[] TransientTypes =
    [
        typeof(TransientStorageException).FullName!,
        typeof(StorageConflictException).FullName!,
        typeof(TimeoutException).FullName!,
        typeof(HttpRequestException).FullName!,
    ];

    /// <summary>
    /// Throttling, timeouts, unreachable services and lost optimistic-concurrency races (after the services' own
    /// re-reads), here or in an inner failure. Compared by name: <see cref="TaskFailureDetails.IsCausedBy{T}"/> loads the
    /// type from the bare name, which finds only types of the runtime's core library, so an exception of this
    /// application's assemblies or of System.Net.Http never matched and a storage hiccup was taken for a permanent failure.
    /// </summary>
    public static bool IsTransient(TaskFailureDetails failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        for (var current = failure; current is not null; current = current.InnerFailure)
        {
            var name = current.ErrorType.Split(',')[0].Trim();
            if (Array.IndexOf(TransientTypes, name) >= 0 || current.IsCausedBy<TimeoutException>())
            {
                return true;
            }
        }

        return false;
    }
}
