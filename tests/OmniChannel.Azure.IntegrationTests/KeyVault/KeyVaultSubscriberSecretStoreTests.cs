using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Time.Testing;
using Moq;
using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Azure.KeyVault;
using OmniChannel.Core.Ports;

namespace OmniChannel.Azure.IntegrationTests.KeyVault;

/// <summary>
/// The Key Vault secret store (no Key Vault runs here): its caching, rotation and throttling over a real
/// <see cref="SecretClient"/> whose HTTP transport is <see cref="FakeKeyVault"/>, so the SDK's retry policy runs; its
/// plain reads and writes over a mocked client.
/// </summary>
public sealed class KeyVaultSubscriberSecretStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private static readonly string PosSecretName = KeyVaultSubscriberSecretStore.SecretName("pos-0001");

    private readonly Mock<SecretClient> _client = new();
    private readonly FakeKeyVault _vault = new();
    private readonly FakeTimeProvider _clock = new(Now);
    private readonly KeyVaultOptions _options = new();

    [Fact]
    public async Task GetSigningSecrets_64DeliveriesAtOnce_ReadKeyVaultOnce_AndAgainOnlyAfterTheRefreshInterval()
    {
        _vault.AddVersion(PosSecretName, "whsec_v1", Now.AddDays(-30));
        var store = Store();

        var answers = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => store.GetSigningSecretsAsync("pos-0001", CancellationToken.None))));
        _clock.Advance(_options.SecretRefreshInterval - TimeSpan.FromSeconds(1));
        await store.GetSigningSecretsAsync("pos-0001", CancellationToken.None);

        Assert.All(answers, answer => Assert.Equal(["whsec_v1"], answer));
        Assert.Equal(1, _vault.Reads);

        _clock.Advance(TimeSpan.FromSeconds(1));
        await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => store.GetSigningSecretsAsync("pos-0001", CancellationToken.None))));
        Assert.Equal(2, _vault.Reads);
    }

    [Fact]
    public async Task GetSigningSecrets_ARotatedSecret_IsUsedAfterTheRefreshIntervalNotBefore_WithThePreviousOneForTheGraceWindow()
    {
        _vault.AddVersion(PosSecretName, "whsec_v1", Now.AddDays(-30));
        var store = Store();
        Assert.Equal(["whsec_v1"], await store.GetSigningSecretsAsync("pos-0001", CancellationToken.None));

        // Another instance (or an operator) rotates the secret in the vault.
        _clock.Advance(TimeSpan.FromMinutes(1));
        _vault.AddVersion(PosSecretName, "whsec_v2", _clock.GetUtcNow());
        _clock.Advance(_options.SecretRefreshInterval - TimeSpan.FromMinutes(2));
        Assert.Equal(["whsec_v1"], await store.GetSigningSecretsAsync("pos-0001", CancellationToken.None));

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(["whsec_v2", "whsec_v1"], await store.GetSigningSecretsAsync("pos-0001", CancellationToken.None));
        Assert.Equal("whsec_v2", await store.GetAsync("pos-0001", CancellationToken.None));

        _clock.Advance(_options.PreviousSecretGrace);
        Assert.Equal(["whsec_v2"], await store.GetSigningSecretsAsync("pos-0001", CancellationToken.None));
    }

    [Fact]
    public async Task GetSigningSecrets_KeyVaultAnswers429ThenOk_TheClientsRetryPolicyWaitsAndReadsTheSecret()
    {
        _vault.AddVersion(PosSecretName, "whsec_v1", Now.AddDays(-30));
        _vault.ThrottleNext(2);
        var waited = System.Diagnostics.Stopwatch.StartNew();

        var secrets = await Store().GetSigningSecretsAsync("pos-0001", CancellationToken.None);

        Assert.Equal(["whsec_v1"], secrets);
        Assert.Equal(1, _vault.Reads);
        Assert.True(waited.Elapsed >= TimeSpan.FromSeconds(1.9), $"the client did not wait for Retry-After (1 s, twice): {waited.Elapsed}");
    }

    [Fact]
    public async Task GetSigningSecrets_ThrottledPastTheRetries_IsATransientFault_UnlessASecretWasReadBefore()
    {
        _vault.AddVersion(PosSecretName, "whsec_v1", Now.AddDays(-30));
        var store = Store();

        // The first try and the client's 5 retries all throttled: a transient fault, which a delivery retries later.
        _vault.ThrottleNext(6);
        await Assert.ThrowsAsync<TransientStorageException>(() => store.GetSigningSecretsAsync("pos-0001", CancellationToken.None));

        Assert.Equal(["whsec_v1"], await store.GetSigningSecretsAsync("pos-0001", CancellationToken.None));
        _clock.Advance(_options.SecretRefreshInterval);
        _vault.ThrottleNext(6);
        Assert.Equal(["whsec_v1"], await store.GetSigningSecretsAsync("pos-0001", CancellationToken.None));
    }

    [Fact]
    public async Task GetSigningSecrets_NoSecret_IsEmpty()
    {
        Assert.Empty(await Store().GetSigningSecretsAsync("nobody", CancellationToken.None));
    }

    private KeyVaultSubscriberSecretStore Store() => new(_vault.Client(), _options, _clock);

    [Fact]
    public void SecretName_IsAValidKeyVaultName_AndDistinguishesIdsThatDifferOnlyInCase()
    {
        var lower = KeyVaultSubscriberSecretStore.SecretName("pos-0001");
        var upper = KeyVaultSubscriberSecretStore.SecretName("POS-0001");
        var odd = KeyVaultSubscriberSecretStore.SecretName("store:0001.signage_2");

        Assert.NotEqual(lower.ToLowerInvariant(), upper.ToLowerInvariant());
        Assert.All([lower, upper, odd], name => Assert.Matches("^[a-z0-9-]{1,127}$", name));
        Assert.Equal(lower, KeyVaultSubscriberSecretStore.SecretName("pos-0001"));
    }

    [Fact]
    public async Task Get_MissingSecret_IsNull_ExistingOne_IsItsValue()
    {
        var name = KeyVaultSubscriberSecretStore.SecretName("pos-0001");
        _client.Setup(client => client.GetSecretAsync(name, null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Response.FromValue(SecretModelFactory.KeyVaultSecret(new SecretProperties(name), "whsec_abc"), Mock.Of<Response>()));
        _client.Setup(client => client.GetSecretAsync(It.Is<string>(other => other != name), null, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(404, "SecretNotFound"));
        var store = new KeyVaultSubscriberSecretStore(_client.Object, new KeyVaultOptions(), TimeProvider.System);

        Assert.Equal("whsec_abc", await store.GetAsync("pos-0001", CancellationToken.None));
        Assert.Null(await store.GetAsync("pos-0002", CancellationToken.None));
    }

    [Fact]
    public async Task Set_WritesTheSecretUnderTheDerivedName_TaggedWithTheSubscriber()
    {
        KeyVaultSecret? written = null;
        _client.Setup(client => client.SetSecretAsync(It.IsAny<KeyVaultSecret>(), It.IsAny<CancellationToken>()))
            .Callback((KeyVaultSecret secret, CancellationToken _) => written = secret)
            .ReturnsAsync((KeyVaultSecret secret, CancellationToken _) => Response.FromValue(secret, Mock.Of<Response>()));

        await new KeyVaultSubscriberSecretStore(_client.Object, new KeyVaultOptions(), TimeProvider.System).SetAsync("pos-0001", "whsec_xyz", CancellationToken.None);

        Assert.NotNull(written);
        Assert.Equal((KeyVaultSubscriberSecretStore.SecretName("pos-0001"), "whsec_xyz", "pos-0001"), (written.Name, written.Value, written.Properties.Tags[KeyVaultSubscriberSecretStore.SubscriberTag]));
    }

    [Fact]
    public async Task Delete_AnUnknownSubscriber_IsHarmless()
    {
        _client.Setup(client => client.StartDeleteSecretAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(new RequestFailedException(404, "SecretNotFound"));

        await new KeyVaultSubscriberSecretStore(_client.Object, new KeyVaultOptions(), TimeProvider.System).DeleteAsync("nobody", CancellationToken.None);

        _client.Verify(client => client.StartDeleteSecretAsync(KeyVaultSubscriberSecretStore.SecretName("nobody"), It.IsAny<CancellationToken>()), Times.Once);
    }
}
