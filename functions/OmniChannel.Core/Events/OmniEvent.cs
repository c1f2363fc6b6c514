using System.Collections.Immutable;
using System.Runtime.InteropServices;
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
    private string? _key;
    private string[]? _identityKeys;

    /// <summary>
    /// The idempotency key: the event id scoped by its source, hashed to a fixed-length value that is a valid
    /// Cosmos document id whatever characters the source and id contain.
    /// </summary>
    public string Key => _key ??= ComputeKey(Source, Id);

    /// <summary>The identities as key text (<c>customer:C1</c>, …), strongest first; made once, as stitching reads them often.</summary>
    internal ImmutableArray<string> IdentityKeys => ImmutableCollectionsMarshal.AsImmutableArray(_identityKeys ??= Identities.KeyTexts());

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
        SHA256.HashData(buffer, hash);
        return Convert.ToHexStringLower(hash[..16]);
    }
}
