using Microsoft.DurableTask;
using OmniChannel.Core.Orders;

namespace OmniChannel.Workflows.Bopis;

/// <summary>
/// A partial pick: records the lines short or substituted on the order, then moves their stock (the short units' holds
/// released, substitutes held), each once however often it runs (<see cref="PickService"/>). Answers what was picked,
/// what the short units are worth, and whether anything is left to collect.
/// </summary>
public sealed class RecordOrderPick(PickService picks) : TaskActivity<PickRequest, PickOutcome>
{
    public const string Name = nameof(RecordOrderPick);

    public override Task<PickOutcome> RunAsync(TaskActivityContext context, PickRequest input) => ExecuteAsync(input, CancellationToken.None);

    /// <summary>The activity's work, for hosts that call it from a function-based trigger.</summary>
    public async Task<PickOutcome> ExecuteAsync(PickRequest input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var order = await picks.RecordAsync(input.OrderId, input.Lines, input.At, cancellationToken);
        var lines = OrderPick.Lines(order);
        return new PickOutcome(lines, order.ShortAmount, NothingLeft: lines.All(line => line.Picked == 0 && line.Substituted == 0));
    }
}

/// <summary>The lines of a <c>picked</c> event that differ from a full pick; <see cref="At"/> is the orchestration's time.</summary>
public sealed record PickRequest(string OrderId, IReadOnlyList<PickedLine> Lines, DateTimeOffset At);

/// <param name="ShortAmount">What the short units are worth (the partial refund).</param>
/// <param name="NothingLeft">Every unit is short: nothing to collect, the order is cancelled.</param>
public sealed record PickOutcome(IReadOnlyList<OrderLinePick> Lines, decimal ShortAmount, bool NothingLeft);
