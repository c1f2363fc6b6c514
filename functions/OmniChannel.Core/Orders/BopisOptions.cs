namespace OmniChannel.Core.Orders;

/// <summary>
/// Every duration of the pickup workflow, bound from <c>OmniChannel:Bopis</c>. They travel in the orchestration's input,
/// so a running order keeps the timings it started with, and tests can run the whole path in seconds.
/// </summary>
public sealed class BopisOptions
{
    public const string SectionName = "OmniChannel:Bopis";

    /// <summary>The store should have picked the order within this time (the SLA); past it, the store is escalated.</summary>
    public TimeSpan PickSla { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// How long after the pick deadline (<see cref="PickSla"/>) an order the store has not picked cancels itself: the
    /// stock is released, the payment refunded and the customer told.
    /// </summary>
    public TimeSpan UnpickedCancelAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long the workflow waits, after the refund step's own retries are spent on a provider that is down, before it
    /// asks again (a durable timer: the order shows "refund pending" meanwhile).
    /// </summary>
    public TimeSpan RefundRetryInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long the workflow keeps asking the payment provider for a refund before the instance fails for ops to see.</summary>
    public TimeSpan RefundRetryFor { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long the workflow waits for the payment service's signed confirmation of a refund it accepted before it asks
    /// again (same refund id; within <see cref="RefundRetryFor"/>). The order shows "refund pending" meanwhile.
    /// </summary>
    public TimeSpan RefundConfirmWithin { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a ready order waits for the customer before it expires.</summary>
    public TimeSpan PickupWindow { get; set; } = TimeSpan.FromDays(3);

    /// <summary>How long before expiry the customer is reminded.</summary>
    public TimeSpan ReminderBeforeExpiry { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How many nearest stores with stock to suggest when the chosen one lacks it.</summary>
    public int AlternativeStores { get; set; } = 3;

    /// <summary>
    /// How long a store or customer action waits for the order's workflow to have started (its first step run) before
    /// the API answers 503 with Retry-After: an event raised to an instance whose start is still queued can be lost.
    /// </summary>
    public TimeSpan WorkflowStartWait { get; set; } = TimeSpan.FromSeconds(10);
}
