using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using OmniChannel.Core.Retention;

namespace OmniChannel.Functions.Timers;

/// <summary>
/// Purges completed workflow instances older than <c>OmniChannel:Workflows:PurgeCompletedAfter</c> (default 7 days)
/// every hour (<see cref="CompletedWorkflowPurger"/>), so the task hub's history table does not grow without bound;
/// the local host runs the same purge as a background service.
/// </summary>
public sealed partial class WorkflowRetentionFunctions(CompletedWorkflowPurger purger, ILogger<WorkflowRetentionFunctions> logger)
{
    [Function(nameof(PurgeCompletedWorkflows))]
    public async Task PurgeCompletedWorkflows([TimerTrigger("0 20 * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient durableClient, CancellationToken cancellationToken)
    {
        var report = await purger.PurgeAsync(cancellationToken);
        if (report.Purged > 0)
        {
            LogPurged(logger, report.Purged, report.CreatedBefore);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} completed workflow instances created before {CreatedBefore:O}")]
    private static partial void LogPurged(ILogger logger, int count, DateTimeOffset? createdBefore);
}
