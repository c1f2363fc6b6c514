using System.Diagnostics.CodeAnalysis;

namespace OmniChannel.Core.Identity;

/// <summary>
/// One identity as a string key such as <c>customer:42</c> or <c>device:ab-12</c>; the key names a Cosmos partition
/// of the events container and a profile until stitching says otherwise.
/// </summary>
public readonly record struct IdentityKey(IdentityKind Kind, string Value) : IComparable<IdentityKey>
{
    private static readonly IdentityKind[] Kinds = Enum.GetValues<IdentityKind>();

    /// <summary>Longer key texts are not looked up in <see cref="SharedText"/> (the lookup builds the text on the stack).</summary>
    private const int MaxLookupLength = 256;

    public override string ToString() => Prefix(Kind) + Value;

    /// <summary>
    /// The key text, taken from <paramref name="texts"/> when it holds it already, else made and added to it: the
    /// events of one batch carry the same few identities many times over, and so share one text of each.
    /// </summary>
    internal string SharedText(HashSet<string> texts)
    {
        var prefix = Prefix(Kind);
        var length = prefix.Length + Value.Length;
        if (length > MaxLookupLength)
        {
            var text = ToString();
            return texts.TryGetValue(text, out var known) ? known : Added(text);
        }

        Span<char> chars = stackalloc char[MaxLookupLength];
        prefix.CopyTo(chars);
        Value.CopyTo(chars[prefix.Length..]);
        return texts.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(chars[..length], out var shared)
            ? shared
            : Added(new string(chars[..length]));

        string Added(string text)
        {
            texts.Add(text);
            return text;
        }
    }

    public static IdentityKey Customer(string value) => new(IdentityKind.Customer, value);
    public static IdentityKey Device(string value) => new(IdentityKind.Device, value);
    public static IdentityKey Loyalty(string value) => new(IdentityKind.Loyalty, value);
    public static IdentityKey Email(string value) => new(IdentityKind.Email, value);
    public static IdentityKey Store(string value) => new(IdentityKind.Store, value);

    public static bool TryParse(string? text, out IdentityKey key)
    {
        key = default;
        if (!TryParseKind(text, out var kind, out var prefixLength))
        {
            return false;
        }

        key = new IdentityKey(kind, text[prefixLength..]);
        return true;
    }

    public static IdentityKey Parse(string text) =>
        TryParse(text, out var key) ? key : throw NotAKey(text);

    /// <summary>True if <paramref name="text"/> is the key text of this kind and value, without making that text.</summary>
    internal static bool IsText(string text, IdentityKind kind, string value)
    {
        var prefix = Prefix(kind);
        return text.Length == prefix.Length + value.Length
            && text.StartsWith(prefix, StringComparison.Ordinal)
            && text.AsSpan(prefix.Length).SequenceEqual(value);
    }

    /// <summary>
    /// The key text that sorts first as <see cref="CompareTo"/> orders the parsed keys (strongest kind, then value),
    /// without parsing each text into a new value string; throws <see cref="FormatException"/> as <see cref="Parse"/>
    /// does for a text that is not a key.
    /// </summary>
    internal static (string Text, IdentityKind Kind) Strongest(ReadOnlySpan<string> texts)
    {
        string? strongest = null;
        var strongestKind = default(IdentityKind);
        var strongestPrefixLength = 0;
        foreach (var text in texts)
        {
            if (!TryParseKind(text, out var kind, out var prefixLength))
            {
                throw NotAKey(text);
            }

            if (strongest is null || kind < strongestKind
                || (kind == strongestKind && text.AsSpan(prefixLength).SequenceCompareTo(strongest.AsSpan(strongestPrefixLength)) < 0))
            {
                (strongest, strongestKind, strongestPrefixLength) = (text, kind, prefixLength);
            }
        }

        return strongest is null ? throw new ArgumentException("No identity key given.", nameof(texts)) : (strongest, strongestKind);
    }

    /// <summary>The kind a key text names and the length of its prefix; false if the text is not a key.</summary>
    private static bool TryParseKind([NotNullWhen(true)] string? text, out IdentityKind kind, out int prefixLength)
    {
        kind = default;
        prefixLength = 0;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        foreach (var candidate in Kinds)
        {
            var prefix = Prefix(candidate);
            if (text.StartsWith(prefix, StringComparison.Ordinal) && text.Length > prefix.Length)
            {
                (kind, prefixLength) = (candidate, prefix.Length);
                return true;
            }
        }

        return false;
    }

    private static FormatException NotAKey(string text) => new($"'{text}' is not an identity key (kind:value).");

    /// <summary>Strongest kind first, then ordinal by value, so every host picks the same survivor of a merge.</summary>
    public int CompareTo(IdentityKey other)
    {
        var byKind = Kind.CompareTo(other.Kind);
        return byKind != 0 ? byKind : string.CompareOrdinal(Value, other.Value);
    }

    private static string Prefix(IdentityKind kind) => kind switch
    {
        IdentityKind.Customer => "customer:",
        IdentityKind.Loyalty => "loyalty:",
        IdentityKind.Email => "email:",
        IdentityKind.Device => "device:",
        IdentityKind.Store => "store:",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
