namespace OmniChannel.Simulation;

/// <summary>
/// Derives independent, reproducible random streams from the options (SplitMix64), so each customer's and each
/// store's day depends only on the seed and its own index, not on how far other streams were read.
/// </summary>
internal static class Seeds
{
    public const long CustomerBase = 1;
    public const long CustomerDay = 2;
    public const long StoreDay = 3;
    public const long Catalogue = 4;
    public const long Run = 5;
    public const long OpeningStock = 6;

    public static Random Random(int seed, long purpose, long index, long salt = 0) => new(Derive(seed, purpose, index, salt));

    public static int Derive(int seed, long purpose, long index, long salt = 0)
    {
        var state = Mix((ulong)seed);
        state = Mix(state ^ (ulong)purpose);
        state = Mix(state ^ (ulong)index);
        state = Mix(state ^ (ulong)salt);
        return (int)(state & int.MaxValue);
    }

    public static ulong Mix(ulong value)
    {
        value += 0x9E3779B97F4A7C15UL;
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9UL;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EBUL;
        return value ^ (value >> 31);
    }
}
