using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Security.KeyVault.Secrets;
using OmniChannel.Core.Ports;

namespace OmniChannel.Azure.KeyVault;

/// <summary>
/// Price subscribers' signing secrets in Azure Key Vault (the Functions app's store when
/// <c>OmniChannel__KeyVault__VaultUri</c> is set). A secret's name is derived from the subscriber id (Key Vault names
/// are case-insensitive and allow only letters, digits and dashes); the id is kept in a tag for people reading the
/// vault. Deleting soft-deletes; creating the subscriber again recovers the name and sets the new value.
/// <para>
/// Secrets are read at most once per <see cref="KeyVaultOptions.SecretRefreshInterval"/> per subscriber, however many
/// deliveries ask at once (a fan-out signs thousands), and a refresh that fails keeps the secrets read before. Rotation
/// is Key Vault's own versions: for <see cref="KeyVaultOptions.PreviousSecretGrace"/> after a new version was created,
/// deliveries are signed with the previous version too, so every instance agrees on "previous" without state of its own.
/// </para>
/// </summary>
public sealed class KeyVaultSubscriberSecretStore(SecretClient client, KeyVaultOptions options, TimeProvider clock) : ISubscriberSecretStore
{
    public const string SubscriberTag = "subscriberId";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, CachedSecrets> _cache = new(StringComparer.Ordinal);

    public async Task<string?> GetAsync(string subscriberId, CancellationToken cancellationToken) =>
        await GetSigningSecretsAsync(subscriberId, cancellationToken) is [var current, ..] ? current : null;

    public Task<IReadOnlyList<string>> GetSigningSecretsAsync(string subscriberId, CancellationToken cancellationToken)
    {
        CachedSecrets? entry;
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (!_cache.TryGetValue(subscriberId, out entry) || now - entry.ReadAt >= options.SecretRefreshInterval || entry.Read.IsFaulted || entry.Read.IsCanceled)
            {
                var lastGood = entry is { Read.IsCompletedSuccessfully: true } ? entry.Read.Result : null;
                entry = new CachedSecrets(ReadAsync(subscriberId, lastGood), now);
                _cache[subscriberId] = entry;
            }
        }

        // One read serves every caller: none of them may cancel it for the others.
        return entry.Read.WaitAsync(cancellationToken);
    }

    public async Task SetAsync(string subscriberId, string secret, CancellationToken cancellationToken)
    {
        var value = new KeyVaultSecret(SecretName(subscriberId), secret) { Properties = { Tags = { [SubscriberTag] = subscriberId }, ContentType = "whsec" } };
        try
        {
            await client.SetSecretAsync(value, cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status == 409)
        {
            // The name is soft-deleted (the subscriber was deleted before): recover it, then write the new secret.
            var recovery = await client.StartRecoverDeletedSecretAsync(value.Name, cancellationToken);
            await recovery.WaitForCompletionAsync(cancellationToken);
            await client.SetSecretAsync(value, cancellationToken);
        }

        Forget(subscriberId);
    }

    public async Task DeleteAsync(string subscriberId, CancellationToken cancellationToken)
    {
        try
        {
            await client.StartDeleteSecretAsync(SecretName(subscriberId), cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            // Never had one, or deleted already.
        }

        Forget(subscriberId);
    }

    /// <summary><c>price-subscriber-</c> and the SHA-256 of the id in hex: unique per id whatever its case or characters.</summary>
    public static string SecretName(string subscriberId) =>
        "price-subscriber-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(subscriberId)));

    private void Forget(string subscriberId)
    {
        lock (_gate)
        {
            _cache.Remove(subscriberId);
        }
    }

    private async Task<IReadOnlyList<string>> ReadAsync(string subscriberId, IReadOnlyList<string>? lastGood)
    {
        var name = SecretName(subscriberId);
        try
        {
            KeyVaultSecret current;
            try
            {
                current = (await client.GetSecretAsync(name, version: null, CancellationToken.None)).Value;
            }
            catch (RequestFailedException exception) when (exception.Status == 404)
            {
                return [];
            }

            return await PreviousValueAsync(current) is { } previous ? [current.Value, previous] : [current.Value];
        }
        catch (Exception) when (lastGood is not null)
        {
            // Key Vault throttling or down past its client's retries: deliveries go on with what was read before.
            return lastGood;
        }
    }

    /// <summary>The version the current one replaced, while the current one is younger than the grace window; else none.</summary>
    private async Task<string?> PreviousValueAsync(KeyVaultSecret current)
    {
        if (current.Properties.CreatedOn is not { } created || clock.GetUtcNow() - created >= options.PreviousSecretGrace)
        {
            return null;
        }

        SecretProperties? previous = null;
        await foreach (var version in client.GetPropertiesOfSecretVersionsAsync(current.Name, CancellationToken.None))
        {
            if (version.Version != current.Properties.Version && version.Enabled != false && version.CreatedOn <= created
                && (previous is null || version.CreatedOn > previous.CreatedOn))
            {
                previous = version;
            }
        }

        return previous is null ? null : (await client.GetSecretAsync(current.Name, previous.Version, CancellationToken.None)).Value.Value;
    }

    private sealed record CachedSecrets(Task<IReadOnlyList<string>> Read, DateTimeOffset ReadAt);
}
