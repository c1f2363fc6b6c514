using Microsoft.DurableTask;
using OmniChannel.Core.Customers;

namespace OmniChannel.Workflows.Bopis;

/// <summary>Writes the order's outcome to the customer's Customer 360 journey. Idempotent; answers true.</summary>
public sealed class RecordJourney(CustomerJourney journey) : TaskActivity<JourneyUpdate, bool>
{
    public const string Name = nameof(RecordJourney);

    public override Task<bool> RunAsync(TaskActivityContext context, JourneyUpdate input) => ExecuteAsync(input, CancellationToken.None);

    /// <summary>The activity's work, for hosts that call it from a function-based trigger.</summary>
    public async Task<bool> ExecuteAsync(JourneyUpdate input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var change = input.Outcome switch
        {
            JourneyOutcome.Collected => journey.MarkCollectedAsync(input.CustomerId, input.OrderId, input.At, cancellationToken),
            JourneyOutcome.Closed => journey.CloseOrderAsync(input.CustomerId, input.OrderId, input.At, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(input), input.Outcome, "Unknown journey outcome."),
        };
        await change;
        return true;
    }
}

/// <summary><see cref="At"/> is the orchestration's time of the outcome, so a retry writes the same journey change.</summary>
public sealed record JourneyUpdate(string CustomerId, string OrderId, JourneyOutcome Outcome, DateTimeOffset At);
