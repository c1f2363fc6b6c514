using System.Collections.Concurrent;
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

    private static readonly CloudEventAttribute SourceAttribute = CloudEventsSpecVersion.V1_0.SourceAttribute;
    private static readonly ConcurrentDictionary<string, string> Accepted = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> AcceptedByChars =
        Accepted.GetAlternateLookup<ReadOnlySpan<char>>();

    private static int _count;

    /// <summary>
    /// The text of the reader's string value, a <c>source</c>, once the SDK's parser accepts it; throws
    /// <see cref="ArgumentException"/> as <see cref="CloudEventAttribute.Parse"/> does when it does not.
    /// </summary>
    public static string Accept(ref Utf8JsonReader reader)
    {
        // Looked up without making a string.
        Span<char> chars = stackalloc char[Utf8Text.MaxLookupLength];
        if (Utf8Text.TryCopyValue(ref reader, chars, out var length) && AcceptedByChars.TryGetValue(chars[..length], out var known))
        {
            return known;
        }

        var text = reader.GetString()!;
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
