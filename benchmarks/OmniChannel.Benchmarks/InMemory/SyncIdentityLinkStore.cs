using OmniChannel.Core.Ports;

namespace OmniChannel.Benchmarks.InMemory;

internal sealed class SyncIdentityLinkStore : IIdentityLinkStore
{
    private readonly Dictionary<string, string> _links = new(StringComparer.Ordinal);

    public void Clear() => _links.Clear();

    public Task<IReadOnlyDictionary<string, string>> ReadLinksAsync(IReadOnlyCollection<string> identityKeys, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        lock (_links)
        {
            foreach (var key in identityKeys)
            {
                if (_links.TryGetValue(key, out var profileId))
                {
                    found[key] = profileId;
                }
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, string>>(found);
    }

    public Task WriteLinksAsync(IReadOnlyCollection<KeyValuePair<string, string>> links, CancellationToken cancellationToken)
    {
        lock (_links)
        {
            foreach (var (identity, profileId) in links)
            {
                _links[identity] = profileId;
            }
        }

        return Task.CompletedTask;
    }

    public Task<int> DeleteLinksAsync(IReadOnlyCollection<string> identityKeys, CancellationToken cancellationToken)
    {
        lock (_links)
        {
            return Task.FromResult(identityKeys.Count(_links.Remove));
        }
    }
}
