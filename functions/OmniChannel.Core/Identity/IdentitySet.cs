namespace OmniChannel.Core.Identity;

/// <summary>The identity attributes one event carries.</summary>
public sealed record IdentitySet(string? CustomerId, string? DeviceId, string? LoyaltyId, string? EmailHash)
{
    public static IdentitySet None { get; } = new(null, null, null, null);

    public bool IsEmpty => CustomerId is null && DeviceId is null && LoyaltyId is null && EmailHash is null;

    /// <summary>How many identities the set carries.</summary>
    internal int Count => (CustomerId is null ? 0 : 1) + (LoyaltyId is null ? 0 : 1) + (EmailHash is null ? 0 : 1) + (DeviceId is null ? 0 : 1);

    /// <summary>Every identity as a key, strongest first.</summary>
    public IReadOnlyList<IdentityKey> Keys()
    {
        // An array of the exact size: a list would cost a second object.
        var keys = new IdentityKey[Count];
        var next = 0;
        if (CustomerId is not null) keys[next++] = IdentityKey.Customer(CustomerId);
        if (LoyaltyId is not null) keys[next++] = IdentityKey.Loyalty(LoyaltyId);
        if (EmailHash is not null) keys[next++] = IdentityKey.Email(EmailHash);
        if (DeviceId is not null) keys[next] = IdentityKey.Device(DeviceId);
        return keys;
    }

    /// <summary>
    /// Every identity as key text (<c>customer:C1</c>, …), strongest first, as <see cref="Keys"/> orders them; each
    /// text shared through <paramref name="texts"/> (see <see cref="IdentityKey.SharedText"/>).
    /// </summary>
    internal string[] KeyTexts(HashSet<string> texts)
    {
        var keyTexts = new string[Count];
        var next = 0;
        if (CustomerId is not null) keyTexts[next++] = IdentityKey.Customer(CustomerId).SharedText(texts);
        if (LoyaltyId is not null) keyTexts[next++] = IdentityKey.Loyalty(LoyaltyId).SharedText(texts);
        if (EmailHash is not null) keyTexts[next++] = IdentityKey.Email(EmailHash).SharedText(texts);
        if (DeviceId is not null) keyTexts[next] = IdentityKey.Device(DeviceId).SharedText(texts);
        return keyTexts;
    }

    /// <summary>The strongest identity: the event's partition key in the event hub and in the events container.</summary>
    public IdentityKey? Primary =>
        CustomerId is not null ? IdentityKey.Customer(CustomerId)
        : LoyaltyId is not null ? IdentityKey.Loyalty(LoyaltyId)
        : EmailHash is not null ? IdentityKey.Email(EmailHash)
        : DeviceId is not null ? IdentityKey.Device(DeviceId)
        : null;
}
