using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OmniChannel.Core.Identity;

namespace OmniChannel.Core.Events;

/// <summary>A validated event of the OmniChannel contract.</summary>
public sealed record OmniEvent(
    string Id,
    string Source,
    string Type,
    DateTimeOffset Time,
    string Channel,
    IdentitySet Identities,
    string? StoreId,
    EventPayload Payload,
    JsonElement Data,
    string? TraceParent = null,
    string? TraceState = null)
{
    /// <summary>
    /// SHA-256, reused: a one-shot hash sets the algorithm up in the crypto library on every call, which cost more than
    /// the rest of an event's decoding. One per thread, as an <see cref="IncrementalHash"/> is not thread-safe.
    /// </summary>
    [ThreadStatic]
    private static IncrementalHash? _sha256OfThisThread;

    private string? _key;

    /// <summary>
    /// The data fields outside the tracking plan (<c>data.colour</c>, <c>data.lines[0].colour</c>), kept in
    /// <see cref="Data"/> and reported by ingest; null when there is none.
    /// </summary>
    public IReadOnlyList<string>? UnplannedFields { get; init; }

    /// <summary>
    /// The idempotency key: the event id scoped by its source, hashed to a fixed-length value that is a valid
    /// Cosmos document id whatever characters the source and id contain.
    /// </summary>
    public string Key => _key ??= ComputeKey(Source, Id);

    /// <summary>
    /// The partition key in the event hub and in the events container: the strongest identity the event carries,
    /// or the store for store events. Derived from the event alone, so a redelivery lands where the first copy did.
    /// </summary>
    public IdentityKey PartitionKey =>
        Identities.Primary ?? IdentityKey.Store(StoreId ?? throw new InvalidOperationException("An event without identity has a store."));

    public static string ComputeKey(string source, string id)
    {
        var byteCount = Encoding.UTF8.GetByteCount(source) + 1 + Encoding.UTF8.GetByteCount(id);
        Span<byte> buffer = byteCount <= 512 ? stackalloc byte[byteCount] : new byte[byteCount];
        var written = Encoding.UTF8.GetBytes(source, buffer);
        buffer[written++] = (byte)'\n';
        Encoding.UTF8.GetBytes(id, buffer[written..]);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var sha256 = _sha256OfThisThread ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha256.AppendData(buffer);
        sha256.GetHashAndReset(hash);
        return Convert.ToHexStringLower(hash[..16]);
    }
}
