namespace OmniChannel.Core.Identity;

/// <summary>
/// One identity as a string key such as <c>customer:42</c> or <c>device:ab-12</c>; the key names a Cosmos partition
/// of the events container and a profile until stitching says otherwise.
/// </summary>
public readonly record struct IdentityKey(IdentityKind Kind, string Value) : IComparable<IdentityKey>
{
    public override string ToString() => Prefix(Kind) + Value;

    public static IdentityKey Customer(string value) => new(IdentityKind.Customer, value);
    public static IdentityKey Device(string value) => new(IdentityKind.Device, value);
    public static IdentityKey Loyalty(string value) => new(IdentityKind.Loyalty, value);
    public static IdentityKey Email(string value) => new(IdentityKind.Email, value);
    public static IdentityKey Store(string value) => new(IdentityKind.Store, value);

    public static bool TryParse(string? text, out IdentityKey key)
    {
        key = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        foreach (var kind in Enum.GetValues<IdentityKind>())
        {
            var prefix = Prefix(kind);
            if (text.StartsWith(prefix, StringComparison.Ordinal) && text.Length > prefix.Length)
            {
                key = new IdentityKey(kind, text[prefix.Length..]);
                return true;
            }
        }

        return false;
    }

    public static IdentityKey Parse(string text) =>
        TryParse(text, out var key) ? key : throw new FormatException($"'{text}' is not an identity key (kind:value).");

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
