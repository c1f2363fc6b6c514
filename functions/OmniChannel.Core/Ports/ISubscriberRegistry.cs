using OmniChannel.Core.Prices;

namespace OmniChannel.Core.Ports;

/// <summary>The price subscribers (without their secrets, which <see cref="ISubscriberSecretStore"/> keeps).</summary>
public interface ISubscriberRegistry
{
    Task<IReadOnlyList<PriceSubscriber>> ListAsync(CancellationToken cancellationToken);

    Task<PriceSubscriber?> GetAsync(string subscriberId, CancellationToken cancellationToken);

    /// <summary>
    /// The registered ones of <paramref name="subscriberIds"/>, by id (an id missing from the answer is not registered).
    /// A fan-out batch reads its subscribers with one call; a store that can read many rows in one request overrides this.
    /// </summary>
    async Task<IReadOnlyDictionary<string, PriceSubscriber>> GetManyAsync(IReadOnlyCollection<string> subscriberIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscriberIds);
        var found = new Dictionary<string, PriceSubscriber>(StringComparer.Ordinal);
        foreach (var subscriberId in subscriberIds)
        {
            if (await GetAsync(subscriberId, cancellationToken) is { } subscriber)
            {
                found[subscriberId] = subscriber;
            }
        }

        return found;
    }

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

    /// <summary>
    /// <see cref="GetSigningSecretsAsync(string, CancellationToken)"/> for many subscribers at once (a fan-out batch),
    /// by id; a subscriber without a secret is missing from the answer. A store that can read many rows in one request
    /// overrides this; a failure to read any of them throws (the caller may then read them one by one).
    /// </summary>
    async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> GetSigningSecretsAsync(IReadOnlyCollection<string> subscriberIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscriberIds);
        var found = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var subscriberId in subscriberIds)
        {
            if (await GetSigningSecretsAsync(subscriberId, cancellationToken) is { Count: > 0 } secrets)
            {
                found[subscriberId] = secrets;
            }
        }

        return found;
    }

    Task SetAsync(string subscriberId, string secret, CancellationToken cancellationToken);

    Task DeleteAsync(string subscriberId, CancellationToken cancellationToken);
}
