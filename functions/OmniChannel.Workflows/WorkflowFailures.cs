using Microsoft.DurableTask;
using OmniChannel.Core.Ports;

namespace OmniChannel.Workflows;

/// <summary>
/// Reads a failed step's <see cref="TaskFailureDetails"/> the same way whichever engine reported it. With failure
/// details (the isolated worker of the Functions app; DurableTask.Core too, for an exception an SDK activity lets
/// through) they describe the step's own exception: its type name, its message, its inner failures. Without them
/// (DurableTask.Core in its serialise-exceptions mode when the failure carries none, e.g. histories written that way)
/// the SDK's shim reports a failure of type "(unknown)" with message "(unknown)" whose inner failure is the step's
/// exception. Both read the same here.
/// </summary>
public static class WorkflowFailures
{
    /// <summary>What the SDK's shim writes for a DurableTask.Core failure that carries no details.</summary>
    private const string UnknownWrapper = "(unknown)";

    /// <summary>The failures a later attempt can fix, by type name: the failure carries only the name.</summary>
    private static readonly string[] TransientTypes =
    [
        typeof(TransientStorageException).FullName!,
        typeof(StorageConflictException).FullName!,
        typeof(TimeoutException).FullName!,
        typeof(HttpRequestException).FullName!,
    ];

    /// <summary>The step's own failure: the engine's wrapper, if any, peeled off.</summary>
    public static TaskFailureDetails Cause(TaskFailureDetails failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var current = failure;
        while (current.InnerFailure is { } inner && IsEngineWrapper(current))
        {
            current = inner;
        }

        return current;
    }

    /// <summary>
    /// Throttling, timeouts, unreachable services, lost optimistic-concurrency races (after the services' own re-reads)
    /// and cancelled attempts (an HTTP call's timeout, a worker stopping mid-step), here or in an inner failure.
    /// Compared by name: <see cref="TaskFailureDetails.IsCausedBy{T}"/> loads the type from the bare name, which finds
    /// only types of the runtime's core library, so an exception of this application's assemblies or of
    /// System.Net.Http never matched and a storage hiccup was taken for a permanent failure.
    /// </summary>
    public static bool IsTransient(TaskFailureDetails failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        for (var current = failure; current is not null; current = current.InnerFailure)
        {
            var name = current.ErrorType.Split(',')[0].Trim();
            if (Array.IndexOf(TransientTypes, name) >= 0 || current.IsCausedBy<TimeoutException>() || current.IsCausedBy<OperationCanceledException>())
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsEngineWrapper(TaskFailureDetails failure) =>
        failure.ErrorType == UnknownWrapper
        || failure.ErrorType.StartsWith("DurableTask.Core.Exceptions.", StringComparison.Ordinal)
        || failure.ErrorType == typeof(TaskFailedException).FullName;
}
