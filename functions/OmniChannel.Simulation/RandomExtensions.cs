namespace OmniChannel.Simulation;

/// <summary>The few distributions a retail day needs, on top of <see cref="Random"/>.</summary>
internal static class RandomExtensions
{
    public static bool Chance(this Random random, double probability) => random.NextDouble() < probability;

    /// <summary>An index drawn with the given relative weights.</summary>
    public static int Weighted(this Random random, ReadOnlySpan<double> weights)
    {
        var total = 0.0;
        foreach (var weight in weights)
        {
            total += weight;
        }

        var target = random.NextDouble() * total;
        for (var index = 0; index < weights.Length; index++)
        {
            target -= weights[index];
            if (target < 0)
            {
                return index;
            }
        }

        return weights.Length - 1;
    }

    /// <summary>1, 2, 3, … with P(k) = p(1-p)^(k-1), capped: "how many more pages does a shopper look at".</summary>
    public static int Geometric(this Random random, double p, int max)
    {
        var count = 1;
        while (count < max && random.NextDouble() >= p)
        {
            count++;
        }

        return count;
    }

    /// <summary>A Poisson count (Knuth for small means, a rounded normal approximation for large ones).</summary>
    public static int Poisson(this Random random, double mean)
    {
        if (mean <= 0)
        {
            return 0;
        }

        if (mean > 30)
        {
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            var normal = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
            return Math.Max(0, (int)Math.Round(mean + Math.Sqrt(mean) * normal));
        }

        var limit = Math.Exp(-mean);
        var product = random.NextDouble();
        var k = 0;
        while (product > limit)
        {
            k++;
            product *= random.NextDouble();
        }

        return k;
    }

    public static TimeSpan Seconds(this Random random, int min, int max) => TimeSpan.FromSeconds(random.Next(min, max + 1));

    public static string Hex(this Random random, int bytes)
    {
        Span<byte> buffer = stackalloc byte[bytes];
        random.NextBytes(buffer);
        return Convert.ToHexStringLower(buffer);
    }
}
