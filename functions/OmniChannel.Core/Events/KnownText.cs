using System.Text;
using System.Text.Json;

namespace OmniChannel.Core.Events;

/// <summary>A fixed list of known strings (event types, channels), looked up per event without allocating.</summary>
internal sealed class KnownText(IReadOnlyList<string> values)
{
    private readonly byte[][] _utf8 = [.. values.Select(Encoding.UTF8.GetBytes)];

    /// <summary>True if <paramref name="value"/> is one of the known strings (ordinal).</summary>
    public bool Contains(string? value)
    {
        // An index loop: LINQ's Contains with a comparer would allocate an enumerator per call.
        for (var index = 0; index < values.Count; index++)
        {
            if (string.Equals(values[index], value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The known string the reader's string value equals, compared as UTF-8 (no string made), or null.</summary>
    public string? Find(ref Utf8JsonReader reader)
    {
        for (var index = 0; index < _utf8.Length; index++)
        {
            if (reader.ValueTextEquals(_utf8[index]))
            {
                return values[index];
            }
        }

        return null;
    }
}
