using Azure;
using Azure.Security.KeyVault.Secrets;
using Moq;
using OmniChannel.Azure.KeyVault;

namespace OmniChannel.Azure.IntegrationTests.KeyVault;

/// <summary>The Key Vault secret store over a faked <see cref="SecretClient"/> (no Key Vault runs here).</summary>
public sealed class KeyVaultSubscriberSecretStoreTests
{
    private readonly Mock<SecretClient> _client = new();

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
        var store = new KeyVaultSubscriberSecretStore(_client.Object);

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

        await new KeyVaultSubscriberSecretStore(_client.Object).SetAsync("pos-0001", "whsec_xyz", CancellationToken.None);

        Assert.NotNull(written);
        Assert.Equal((KeyVaultSubscriberSecretStore.SecretName("pos-0001"), "whsec_xyz", "pos-0001"), (written.Name, written.Value, written.Properties.Tags[KeyVaultSubscriberSecretStore.SubscriberTag]));
    }

    [Fact]
    public async Task Delete_AnUnknownSubscriber_IsHarmless()
    {
        _client.Setup(client => client.StartDeleteSecretAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(new RequestFailedException(404, "SecretNotFound"));

        await new KeyVaultSubscriberSecretStore(_client.Object).DeleteAsync("nobody", CancellationToken.None);

        _client.Verify(client => client.StartDeleteSecretAsync(KeyVaultSubscriberSecretStore.SecretName("nobody"), It.IsAny<CancellationToken>()), Times.Once);
    }
}
