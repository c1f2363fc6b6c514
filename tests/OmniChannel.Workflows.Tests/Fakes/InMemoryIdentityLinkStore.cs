using OmniChannel.Core.Ports;

namespace OmniChannel.Workflows.Tests.Fakes;

/// <summary>Identity links in memory; an identity without a link is its own profile.</summary>
public sealed class InMemoryIdentityLinkStore : IIdentityLinkStore
{
    private readonly Dictionary<string, string> _links = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public Task<IReadOnlyDictionary<string, string>> ReadLinksAsync(IReadOnlyCollection<string> identityKeys, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyDictionary<string, string> found = identityKeys
                .Where(_links.ContainsKey)
                .ToDictionary(key => key, key => _links[key], StringComparer.Ordinal);
            return Task.FromResult(found);
        }
    }

    public Task WriteLinksAsync(IReadOnlyCollection<KeyValuePair<string, string>> links, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            foreach (var (key, profileId) in links)
            {
                _links[key] = profileId;
            }
        }

        return Task.CompletedTask;
    }
}
