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
/// </summary>
public sealed class KeyVaultSubscriberSecretStore(SecretClient client) : ISubscriberSecretStore
{
    public const string SubscriberTag = "subscriberId";

    public async Task<string?> GetAsync(string subscriberId, CancellationToken cancellationToken)
    {
        try
        {
            return (await client.GetSecretAsync(SecretName(subscriberId), version: null, cancellationToken)).Value.Value;
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return null;
        }
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
    }

    /// <summary><c>price-subscriber-</c> and the SHA-256 of the id in hex: unique per id whatever its case or characters.</summary>
    public static string SecretName(string subscriberId) =>
        "price-subscriber-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(subscriberId)));
}
