using System.Text;

namespace OmniChannel.Simulation.Bopis;

/// <summary>
/// Which order of a run gets which <see cref="BopisOutcome"/>: exactly the asked share of the orders for each (rounded
/// to the nearest order), spread over the run by a shuffle seeded from the run tag, so the same tag always gives the
/// same orders the same outcomes.
/// </summary>
public static class BopisOutcomePlan
{
    /// <summary>The outcome of each order, order number n at index n − 1.</summary>
    public static IReadOnlyList<BopisOutcome> Assign(string runTag, int orders, decimal unpickedPercent, decimal shortPercent, decimal noShowPercent)
    {
        ArgumentNullException.ThrowIfNull(runTag);
        ArgumentOutOfRangeException.ThrowIfNegative(orders);
        var counts = new[] { (BopisOutcome.Unpicked, unpickedPercent), (BopisOutcome.Short, shortPercent), (BopisOutcome.NoShow, noShowPercent) }
            .Select(share => (share.Item1, Count: CountOf(share.Item2, orders)))
            .ToList();
        if (counts.Sum(share => share.Count) > orders)
        {
            throw new ArgumentOutOfRangeException(nameof(orders), orders, "The unpicked, short and no-show shares add up to more than every order.");
        }

        var numbers = Enumerable.Range(0, orders).ToArray();

        // A fixed seed: System.Random with a seed is the same generator on every run and every .NET version.
        new Random(StableSeed(runTag)).Shuffle(numbers);
        var outcomes = Enumerable.Repeat(BopisOutcome.Collected, orders).ToArray();
        var next = 0;
        foreach (var (outcome, count) in counts)
        {
            foreach (var index in numbers.AsSpan(next, count))
            {
                outcomes[index] = outcome;
            }

            next += count;
        }

        return outcomes;
    }

    /// <summary>The orders a share of <paramref name="orders"/> stands for, half an order rounded up.</summary>
    public static int CountOf(decimal percent, int orders)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100m);
        return (int)Math.Round(percent * orders / 100m, MidpointRounding.AwayFromZero);
    }

    /// <summary>FNV-1a over the tag's UTF-8: string hash codes differ from process to process.</summary>
    private static int StableSeed(string runTag)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(runTag))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return unchecked((int)hash);
    }
}
