using Microsoft.DurableTask;

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
        HandleFailure = WorkflowFailures.IsTransient,
    };

    public static TaskOptions Options { get; } = TaskOptions.FromRetryPolicy(Policy);
}
