using System.Security.Cryptography;
using System.Text;

namespace OmniChannel.Core.Remarketing;

/// <summary>
/// Who is held out: a stable hash of (customer id, rule id) — of the customer id alone for the global control group —
/// into 0–9999 basis points, so a person stays in one group for a rule on every signal, host and run. SHA-256, not
/// <see cref="string.GetHashCode()"/> (which differs per process).
/// </summary>
public static class HoldoutGroups
{
    public const int BasisPoints = 10_000;

    /// <summary>The salt of the global control group's hash: a person's global bucket is independent of every rule's.</summary>
    private const string GlobalScope = "global-control";

    /// <summary>The person's bucket for a rule, 0–9999.</summary>
    public static int Bucket(string customerId, string scope)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        ArgumentNullException.ThrowIfNull(scope);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(scope + "\n" + customerId), hash);
        return (int)(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(hash) % BasisPoints);
    }

    /// <summary>Whether the rule holds the person out: their bucket is below the rule's holdout share.</summary>
    public static bool IsHeldOut(string customerId, string ruleId, int holdoutPercent) =>
        holdoutPercent > 0 && Bucket(customerId, "rule:" + ruleId) < holdoutPercent * 100;

    /// <summary>Whether the person is in the global control group, who never get any remarketing.</summary>
    public static bool InGlobalControl(string customerId, int globalControlPercent) =>
        globalControlPercent > 0 && Bucket(customerId, GlobalScope) < globalControlPercent * 100;
}
