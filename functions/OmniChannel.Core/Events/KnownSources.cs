using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using CloudNative.CloudEvents;

namespace OmniChannel.Core.Events;

/// <summary>
/// Event sources the SDK has accepted. Sources repeat (a store's tills, the web shop, the app), and the SDK parses each
/// one into a <see cref="Uri"/>, which costs more than the rest of an event's attributes together: a source accepted
/// once is accepted again without parsing (the parse depends on the text alone), and its events share one string.
/// </summary>
internal static class KnownSources
{
    /// <summary>Enough for every store's tills and every app and site; beyond it, a new source is simply parsed every time.</summary>
    private const int Capacity = 4096;

    /// <summary>Longer sources are not looked up (the lookup copies the text to the stack).</summary>
    private const int MaxLookupBytes = 256;

    private static readonly CloudEventAttribute SourceAttribute = CloudEventsSpecVersion.V1_0.SourceAttribute;
    private static readonly ConcurrentDictionary<string, string> Accepted = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> AcceptedByChars =
        Accepted.GetAlternateLookup<ReadOnlySpan<char>>();

    private static int _count;

    /// <summary>
    /// The text of a JSON string <c>source</c> value, once the SDK's parser accepts it; throws
    /// <see cref="ArgumentException"/> as <see cref="CloudEventAttribute.Parse"/> does when it does not.
    /// </summary>
    public static string Accept(JsonElement value)
    {
        // The raw value is the quoted UTF-8 as sent; with no escape in it, it is the text itself.
        var raw = JsonMarshal.GetRawUtf8Value(value);
        if (raw.Length - 2 <= MaxLookupBytes && raw.IndexOf((byte)'\\') < 0)
        {
            Span<char> chars = stackalloc char[MaxLookupBytes];
            var length = Encoding.UTF8.GetChars(raw[1..^1], chars);
            if (AcceptedByChars.TryGetValue(chars[..length], out var known))
            {
                return known;
            }
        }

        var text = value.GetString()!;
        SourceAttribute.Parse(text);
        Remember(text);
        return text;
    }

    /// <summary>Checks a source as setting it on a <see cref="CloudEvent"/> would, throwing what that would throw.</summary>
    public static void Check(string source)
    {
        // A null source goes to the Uri constructor, which rejects it as it always did.
        if (source is null || !Accepted.ContainsKey(source))
        {
            SourceAttribute.Validate(new Uri(source!, UriKind.RelativeOrAbsolute));
            Remember(source!);
        }
    }

    private static void Remember(string source)
    {
        if (Volatile.Read(ref _count) < Capacity && Accepted.TryAdd(source, source))
        {
            Interlocked.Increment(ref _count);
        }
    }
}
