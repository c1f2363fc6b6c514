using OmniChannel.Core.Prices;

namespace OmniChannel.Core.Ports;

/// <summary>The price subscribers (without their secrets, which <see cref="ISubscriberSecretStore"/> keeps).</summary>
public interface ISubscriberRegistry
{
    Task<IReadOnlyList<PriceSubscriber>> ListAsync(CancellationToken cancellationToken);

    Task<PriceSubscriber?> GetAsync(string subscriberId, CancellationToken cancellationToken);

    Task UpsertAsync(IReadOnlyCollection<PriceSubscriber> subscribers, CancellationToken cancellationToken);

    /// <summary>Answers whether there was one to delete.</summary>
    Task<bool> DeleteAsync(string subscriberId, CancellationToken cancellationToken);
}

/// <summary>Subscribers' signing secrets (<c>whsec_…</c>): Key Vault in Azure, local storage in the local host. Never listed, never logged.</summary>
public interface ISubscriberSecretStore
{
    Task<string?> GetAsync(string subscriberId, CancellationToken cancellationToken);

    /// <summary>
    /// The secrets a delivery is signed with: the current one first and, while it is being rotated, the one it replaced
    /// (a receiver still on the old one keeps verifying); empty when the subscriber has none. A store without versions
    /// answers the current one only.
    /// </summary>
    async Task<IReadOnlyList<string>> GetSigningSecretsAsync(string subscriberId, CancellationToken cancellationToken) =>
        await GetAsync(subscriberId, cancellationToken) is { } current ? [current] : [];

    Task SetAsync(string subscriberId, string secret, CancellationToken cancellationToken);

    Task DeleteAsync(string subscriberId, CancellationToken cancellationToken);
}
