using System.Globalization;

namespace OmniChannel.Core.Identity;

/// <summary>
/// The identity resolution rules of <see cref="IdentityOptions"/> as decisions: which values never identify anybody,
/// the order in which an event's identifiers are kept, and whether two sets of identifiers may become one person.
/// </summary>
public sealed class IdentityRules
{
    private readonly IdentityOptions _options;
    private readonly HashSet<string> _blocked;
    private readonly int[] _rank;

    public IdentityRules(IdentityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _blocked = new HashSet<string>(IdentityOptions.BuiltInBlockedValues, StringComparer.OrdinalIgnoreCase);
        foreach (var value in options.BlockedValues)
        {
            _blocked.Add(value.Trim());
        }

        var kinds = Enum.GetValues<IdentityKind>();
        _rank = new int[kinds.Length];
        var next = 0;
        foreach (var kind in options.Priority.Concat(kinds).Distinct())
        {
            _rank[(int)kind] = next++;
        }
    }

    public static IdentityRules Default { get; } = new(new IdentityOptions());

    /// <summary>True for a value that never links anything (a placeholder such as <c>0</c>, <c>anonymous</c> or an all-zero GUID).</summary>
    public bool IsBlocked(string? value) => value is not null && _blocked.Contains(value.Trim());

    /// <summary>The identities without blocked values: the same instance when none is blocked.</summary>
    public IdentitySet Usable(IdentitySet identities)
    {
        ArgumentNullException.ThrowIfNull(identities);
        return identities.Where(key => !IsBlocked(key.Value));
    }

    /// <summary>Identity key texts, highest priority first (a stable sort, so equal kinds keep their order); the same array when already in order.</summary>
    public string[] InPriorityOrder(string[] keyTexts)
    {
        ArgumentNullException.ThrowIfNull(keyTexts);
        for (var index = 1; index < keyTexts.Length; index++)
        {
            if (Rank(keyTexts[index]) < Rank(keyTexts[index - 1]))
            {
                return [.. keyTexts.OrderBy(Rank)];
            }
        }

        return keyTexts;
    }

    /// <summary>Marks, in a census of identities, an identity that person must never join (an undone merge).</summary>
    public const string ApartPrefix = "!";

    /// <summary>
    /// Why the identifiers of two people may not become one (a limit the union would break, worded for the audit), or
    /// null when they may. A limit that one side already broke on its own (data from before the rule) blocks nothing
    /// more than it had.
    /// </summary>
    public string? Breach(IReadOnlyCollection<string> left, IReadOnlyCollection<string> right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        if ((KeptApart(left, right) ?? KeptApart(right, left)) is { } apart)
        {
            return $"An administrator undid a merge of these people; {apart} stays apart.";
        }

        foreach (var kind in Enum.GetValues<IdentityKind>())
        {
            var limit = _options.LimitOf(kind);
            var leftCount = Count(left, kind, null);
            var rightCount = Count(right, kind, null);
            var union = leftCount + Count(right, kind, left);
            if (union > limit && union > Math.Max(leftCount, rightCount))
            {
                return string.Create(CultureInfo.InvariantCulture, $"Joining would give one person {union} {Plural(kind)} (limit {limit}).");
            }
        }

        return null;
    }

    /// <summary>An identity of <paramref name="other"/> that <paramref name="census"/> is marked to keep apart from, or null.</summary>
    private static string? KeptApart(IReadOnlyCollection<string> census, IReadOnlyCollection<string> other)
    {
        foreach (var entry in census)
        {
            if (entry.StartsWith(ApartPrefix, StringComparison.Ordinal) && other.Contains(entry[ApartPrefix.Length..]))
            {
                return entry[ApartPrefix.Length..];
            }
        }

        return null;
    }

    private int Rank(string keyText) =>
        IdentityKey.TryParse(keyText, out var key) ? _rank[(int)key.Kind] : int.MaxValue;

    /// <summary>How many identities of a kind the set holds that <paramref name="except"/> does not.</summary>
    private static int Count(IReadOnlyCollection<string> identities, IdentityKind kind, IReadOnlyCollection<string>? except)
    {
        var count = 0;
        foreach (var identity in identities)
        {
            if (IdentityKey.TryParse(identity, out var key) && key.Kind == kind && (except is null || !except.Contains(identity)))
            {
                count++;
            }
        }

        return count;
    }

    private static string Plural(IdentityKind kind) => kind switch
    {
        IdentityKind.Customer => "customer ids",
        IdentityKind.Loyalty => "loyalty ids",
        IdentityKind.Email => "e-mail addresses",
        IdentityKind.Device => "devices",
        _ => "stores",
    };
}
