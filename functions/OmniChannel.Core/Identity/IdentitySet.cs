namespace OmniChannel.Core.Identity;

/// <summary>
/// The identities one event carries: its identity attributes, and for a sign-in (<c>omni.customer.identified</c>)
/// the further identities its data lists (<see cref="Joined"/>, e.g. a second device), which join the same person.
/// </summary>
public sealed record IdentitySet(string? CustomerId, string? DeviceId, string? LoyaltyId, string? EmailHash, IReadOnlyList<IdentityKey>? Joined = null)
{
    public static IdentitySet None { get; } = new(null, null, null, null);

    public bool IsEmpty => CustomerId is null && DeviceId is null && LoyaltyId is null && EmailHash is null && (Joined is null || Joined.Count == 0);

    /// <summary>How many identities the set carries.</summary>
    internal int Count => (CustomerId is null ? 0 : 1) + (LoyaltyId is null ? 0 : 1) + (EmailHash is null ? 0 : 1) + (DeviceId is null ? 0 : 1) + (Joined?.Count ?? 0);

    /// <summary>The same identities with <paramref name="keep"/> deciding each (the attributes by slot, the joined ones in order); this set when all are kept.</summary>
    public IdentitySet Where(Func<IdentityKey, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var customer = CustomerId is not null && keep(IdentityKey.Customer(CustomerId)) ? CustomerId : null;
        var device = DeviceId is not null && keep(IdentityKey.Device(DeviceId)) ? DeviceId : null;
        var loyalty = LoyaltyId is not null && keep(IdentityKey.Loyalty(LoyaltyId)) ? LoyaltyId : null;
        var email = EmailHash is not null && keep(IdentityKey.Email(EmailHash)) ? EmailHash : null;
        var joined = Joined?.Where(keep).ToList();
        return customer == CustomerId && device == DeviceId && loyalty == LoyaltyId && email == EmailHash && (joined is null || joined.Count == Joined!.Count)
            ? this
            : new IdentitySet(customer, device, loyalty, email, joined is { Count: > 0 } ? joined : null);
    }

    public bool Equals(IdentitySet? other) =>
        other is not null && CustomerId == other.CustomerId && DeviceId == other.DeviceId && LoyaltyId == other.LoyaltyId && EmailHash == other.EmailHash
        && (Joined ?? []).SequenceEqual(other.Joined ?? []);

    public override int GetHashCode() => HashCode.Combine(CustomerId, DeviceId, LoyaltyId, EmailHash, Joined?.Count ?? 0);

    /// <summary>Every identity as a key, strongest first.</summary>
    public IReadOnlyList<IdentityKey> Keys()
    {
        // An array of the exact size: a list would cost a second object.
        var keys = new IdentityKey[Count];
        var next = 0;
        if (CustomerId is not null) keys[next++] = IdentityKey.Customer(CustomerId);
        if (LoyaltyId is not null) keys[next++] = IdentityKey.Loyalty(LoyaltyId);
        if (EmailHash is not null) keys[next++] = IdentityKey.Email(EmailHash);
        if (DeviceId is not null) keys[next++] = IdentityKey.Device(DeviceId);
        foreach (var joined in Joined ?? [])
        {
            keys[next++] = joined;
        }

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
        if (DeviceId is not null) keyTexts[next++] = IdentityKey.Device(DeviceId).SharedText(texts);
        foreach (var joined in Joined ?? [])
        {
            keyTexts[next++] = joined.SharedText(texts);
        }

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
