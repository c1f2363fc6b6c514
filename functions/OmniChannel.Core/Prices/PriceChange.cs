namespace OmniChannel.Core.Prices;

/// <summary>One SKU's new price in a change.</summary>
public sealed record PriceItem(string Sku, decimal Price, string Currency);

/// <summary>Where a change's fan-out stands.</summary>
public enum PriceChangeStatus
{
    /// <summary>Accepted; the fan-out is delivering (or about to).</summary>
    Delivering,

    /// <summary>Every subscriber in scope has it.</summary>
    Delivered,

    /// <summary>The fan-out finished and some subscribers could not take it (see the report; they can be retried).</summary>
    PartiallyDelivered,
}

/// <summary>
/// A price change as accepted: the new prices of one or more SKUs, in force from <see cref="EffectiveAt"/> within
/// <see cref="Scope"/>. Its id makes a repeated submission harmless.
/// </summary>
public sealed class PriceChange
{
    public required string Id { get; init; }

    public required IReadOnlyList<PriceItem> Items { get; init; }

    public required DateTimeOffset EffectiveAt { get; init; }

    public required PriceScope Scope { get; init; }

    public DateTimeOffset AcceptedAt { get; set; }

    /// <summary>The fan-out design for this change when it should differ from the configured one (benchmarks compare the two).</summary>
    public FanOutMode? FanOut { get; init; }

    public PriceChangeStatus Status { get; set; } = PriceChangeStatus.Delivering;

    /// <summary>Fan-out runs so far: 1 after the first, +1 per retry of the failed subscribers.</summary>
    public int Runs { get; set; } = 1;

    public DeliveryCounts? Result { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Whether <paramref name="other"/> asks for the same thing (a retried submission rather than a clash of ids).</summary>
    public bool SameRequestAs(PriceChange other) =>
        Id == other.Id && EffectiveAt == other.EffectiveAt && Scope == other.Scope && Items.SequenceEqual(other.Items);
}

/// <summary>How many subscribers of a change are in each state.</summary>
public sealed record DeliveryCounts(int Total, int Delivered, int Failed, int Pending);
