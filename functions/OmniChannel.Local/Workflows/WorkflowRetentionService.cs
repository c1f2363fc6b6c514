using Microsoft.Extensions.Options;
using OmniChannel.Core.Retention;

namespace OmniChannel.Local.Workflows;

/// <summary>
/// Runs the <see cref="CompletedWorkflowPurger"/> every <c>OmniChannel:Workflows:PurgeEvery</c> (default 10 minutes),
/// as the Functions app's hourly timer does in Azure: completed instances older than
/// <c>OmniChannel:Workflows:PurgeCompletedAfter</c> leave Azurite, so its databases, which it saves whole every few
/// seconds, stop growing with every order ever placed. A failed purge is logged and the next one tries again.
/// </summary>
public sealed partial class WorkflowRetentionService(
    CompletedWorkflowPurger purger, IOptions<WorkflowRetentionOptions> options, TimeProvider clock, ILogger<WorkflowRetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!purger.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.PurgeEvery, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var report = await purger.PurgeAsync(stoppingToken);
                    if (report.Purged > 0)
                    {
                        LogPurged(logger, report.Purged, report.CreatedBefore);
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogPurgeFailed(logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} completed workflow instances created before {CreatedBefore:O}")]
    private static partial void LogPurged(ILogger logger, int count, DateTimeOffset? createdBefore);

    [LoggerMessage(Level = LogLevel.Error, Message = "Purging completed workflow instances failed; the next purge tries again")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception);
}
