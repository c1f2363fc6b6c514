namespace OmniChannel.Core.Identity;

/// <summary>
/// Identity resolution rules, bound from <c>OmniChannel:Identity</c>: how many identifiers of each kind one person may
/// have, which kind gives way when a join would break a limit, and values that never identify anybody. The defaults
/// follow the identity resolution settings of the common customer data platforms: one customer id per person, a few
/// of everything else.
/// </summary>
public sealed class IdentityOptions
{
    public const string SectionName = "OmniChannel:Identity";

    /// <summary>Values that never link anything, whatever their kind (compared case-insensitively, after trimming).</summary>
    public static readonly IReadOnlyList<string> BuiltInBlockedValues =
    [
        "", "0", "-1", "null", "nil", "none", "undefined", "anonymous", "unknown", "n/a", "na", "guest", "test",
        "00000000-0000-0000-0000-000000000000",
    ];

    public int MaxCustomerIds { get; set; } = 1;

    public int MaxLoyaltyIds { get; set; } = 2;

    public int MaxEmails { get; set; } = 5;

    public int MaxDevices { get; set; } = 10;

    /// <summary>
    /// The kinds in the order they are kept when an event's identifiers would join profiles past a limit, highest
    /// first: the lower one is left out of that join. Kinds not listed come after, in their natural order.
    /// </summary>
    public List<IdentityKind> Priority { get; set; } = [IdentityKind.Customer, IdentityKind.Loyalty, IdentityKind.Email, IdentityKind.Device];

    /// <summary>Further values that never link anything (a till's placeholder card number, a test account).</summary>
    public List<string> BlockedValues { get; set; } = [];

    public int LimitOf(IdentityKind kind) => kind switch
    {
        IdentityKind.Customer => MaxCustomerIds,
        IdentityKind.Loyalty => MaxLoyaltyIds,
        IdentityKind.Email => MaxEmails,
        IdentityKind.Device => MaxDevices,
        _ => int.MaxValue,
    };
}
