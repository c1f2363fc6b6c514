using Microsoft.Extensions.Options;
using OmniChannel.Core.Ports;

namespace OmniChannel.Core.Retention;

/// <summary>What one purge did: the creation time it purged up to (null when retention is off) and how many instances went.</summary>
public sealed record WorkflowPurgeReport(DateTimeOffset? CreatedBefore, int Purged);

/// <summary>
/// Purges completed workflow instances older than <see cref="WorkflowRetentionOptions.PurgeCompletedAfter"/>; the
/// Functions app's hourly timer and the local host's background service both run it. Safe because nothing restarts
/// an ended piece of work from the engine's memory: an order that has finished starts no workflow
/// (<see cref="Orders.OrderService"/>), a price change's first run is not started again once it finished
/// (<see cref="Prices.PriceService"/>), and a remarketing instance run again answers the coupon its id already issued.
/// </summary>
public sealed class CompletedWorkflowPurger(IWorkflowPurge purge, IOptions<WorkflowRetentionOptions> options, TimeProvider clock)
{
    /// <summary>Whether retention is on: a <see cref="WorkflowRetentionOptions.PurgeCompletedAfter"/> of zero or less keeps everything.</summary>
    public bool Enabled => options.Value.PurgeCompletedAfter > TimeSpan.Zero;

    public async Task<WorkflowPurgeReport> PurgeAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return new WorkflowPurgeReport(null, 0);
        }

        var createdBefore = clock.GetUtcNow() - options.Value.PurgeCompletedAfter;
        return new WorkflowPurgeReport(createdBefore, await purge.PurgeCompletedAsync(createdBefore, cancellationToken));
    }
}
