namespace OmniChannel.Core.Identity;

/// <summary>The identity attributes one event carries.</summary>
public sealed record IdentitySet(string? CustomerId, string? DeviceId, string? LoyaltyId, string? EmailHash)
{
    public static IdentitySet None { get; } = new(null, null, null, null);

    public bool IsEmpty => CustomerId is null && DeviceId is null && LoyaltyId is null && EmailHash is null;

    /// <summary>Every identity as a key, strongest first.</summary>
    public IReadOnlyList<IdentityKey> Keys()
    {
        var keys = new List<IdentityKey>(4);
        if (CustomerId is not null) keys.Add(IdentityKey.Customer(CustomerId));
        if (LoyaltyId is not null) keys.Add(IdentityKey.Loyalty(LoyaltyId));
        if (EmailHash is not null) keys.Add(IdentityKey.Email(EmailHash));
        if (DeviceId is not null) keys.Add(IdentityKey.Device(DeviceId));
        return keys;
    }

    /// <summary>The strongest identity: the event's partition key in the event hub and in the events container.</summary>
    public IdentityKey? Primary =>
        CustomerId is not null ? IdentityKey.Customer(CustomerId)
        : LoyaltyId is not null ? IdentityKey.Loyalty(LoyaltyId)
        : EmailHash is not null ? IdentityKey.Email(EmailHash)
        : DeviceId is not null ? IdentityKey.Device(DeviceId)
        : null;
}
