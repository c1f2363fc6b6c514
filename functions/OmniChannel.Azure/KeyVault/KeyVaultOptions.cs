namespace OmniChannel.Azure.KeyVault;

/// <summary>Key Vault settings for price subscribers' signing secrets, bound from <c>OmniChannel:KeyVault</c>.</summary>
public sealed class KeyVaultOptions
{
    public const string SectionName = "OmniChannel:KeyVault";

    /// <summary>The vault (managed identity); unset, secrets stay in the Tables store.</summary>
    public string? VaultUri { get; set; }

    /// <summary>
    /// How long a subscriber's secrets are used from memory before Key Vault is read again: a secret rotated by another
    /// instance (or by hand in the vault) is used within this interval, and a fan-out reads each secret once per interval.
    /// </summary>
    public TimeSpan SecretRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long after a new version of a secret appears deliveries are signed with the version it replaced too.</summary>
    public TimeSpan PreviousSecretGrace { get; set; } = TimeSpan.FromDays(1);
}
