namespace OmniChannel.Core.Events;

/// <summary>Finds a value among a fixed list of known strings (event types, channels) without allocating.</summary>
internal static class KnownText
{
    /// <summary>The position of <paramref name="value"/> in <paramref name="known"/> (ordinal), or -1.</summary>
    public static int IndexOf(IReadOnlyList<string> known, string value)
    {
        // An index loop: LINQ's Contains with a comparer would allocate an enumerator per call, and it runs per event.
        for (var index = 0; index < known.Count; index++)
        {
            if (string.Equals(known[index], value, StringComparison.Ordinal))
            {
                return index;
            }
        }

        return -1;
    }
}
