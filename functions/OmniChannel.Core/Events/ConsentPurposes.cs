namespace OmniChannel.Core.Events;

/// <summary>
/// The purposes a customer gives or withdraws consent for, each a field of <c>omni.consent.changed</c> data and an entry
/// of the profile's consents. Marketing is the one the backbone acts on today (remarketing); a purpose added here is
/// accepted by the contract, kept per profile, merged and shown on the Customer 360 like it.
/// </summary>
public static class ConsentPurposes
{
    public const string Marketing = "marketing";

    public static IReadOnlyList<string> All { get; } = [Marketing];
}
