using System.Text;

namespace OmniChannel.Simulation.Day;

public enum PickPlan
{
    /// <summary>Picked in full before the pick deadline.</summary>
    InFull,

    /// <summary>Picked with a unit missing: the backbone refunds it.</summary>
    Short,

    /// <summary>Picked after the pick deadline (the backbone escalated it first), when the deadline is minutes away.</summary>
    Late,

    /// <summary>Never picked: the backbone escalates, then cancels it and refunds.</summary>
    Never,
}

public enum CollectPlan
{
    Collects,

    /// <summary>Says "I'm here" first (<c>POST /api/orders/{id}/arrived</c>), then collects.</summary>
    ArrivesFirst,

    /// <summary>Never comes: the backbone reminds them, then expires the order and refunds.</summary>
    NoShow,
}

/// <summary>
/// How the store and the customer treat one pickup order of the simulated day: 80 % picked in full, 8 % short, 7 % late,
/// 5 % never; of the picked, 70 % collected, 20 % after an "I'm here", 10 % never collected. Drawn from the order id
/// (FNV-1a), so the same day gives the same outcomes.
/// </summary>
public readonly record struct PickupPlan(PickPlan Pick, CollectPlan Collect)
{
    public static PickupPlan For(string orderId)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        var hash = 2166136261u;
        foreach (var octet in Encoding.UTF8.GetBytes(orderId))
        {
            hash = (hash ^ octet) * 16777619u;
        }

        var pick = (hash % 100) switch
        {
            < 80 => PickPlan.InFull,
            < 88 => PickPlan.Short,
            < 95 => PickPlan.Late,
            _ => PickPlan.Never,
        };
        var collect = (hash / 100 % 100) switch
        {
            < 70 => CollectPlan.Collects,
            < 90 => CollectPlan.ArrivesFirst,
            _ => CollectPlan.NoShow,
        };
        return new PickupPlan(pick, collect);
    }

    /// <summary>
    /// The <paramref name="index"/>-th order of the busiest pickup store: every way in turn (never picked, picked and never
    /// collected, picked late, short and "I'm here", collected), so its queue shows each state an associate meets.
    /// </summary>
    public static PickupPlan Busiest(int index) => (index % 5) switch
    {
        0 => new(PickPlan.Never, CollectPlan.Collects),
        1 => new(PickPlan.InFull, CollectPlan.NoShow),
        2 => new(PickPlan.Late, CollectPlan.Collects),
        3 => new(PickPlan.Short, CollectPlan.ArrivesFirst),
        _ => new(PickPlan.InFull, CollectPlan.Collects),
    };
}
