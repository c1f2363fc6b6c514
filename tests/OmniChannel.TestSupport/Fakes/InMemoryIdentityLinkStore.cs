using OmniChannel.Core.Ports;

namespace OmniChannel.TestSupport.Fakes;

/// <summary>Identity links in memory (an identity without a link is its own profile), counting reads and link documents written.</summary>
public sealed class InMemoryIdentityLinkStore : IIdentityLinkStore
{
    private readonly Dictionary<string, string> _links = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public int ReadCalls { get; private set; }

    public int LinksWritten { get; private set; }

    public IReadOnlyDictionary<string, string> Links
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<string, string>(_links, StringComparer.Ordinal);
            }
        }
    }

    public Task<IReadOnlyDictionary<string, string>> ReadLinksAsync(IReadOnlyCollection<string> identityKeys, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            ReadCalls++;
            IReadOnlyDictionary<string, string> found = identityKeys
                .Where(_links.ContainsKey)
                .ToDictionary(key => key, key => _links[key], StringComparer.Ordinal);
            return Task.FromResult(found);
        }
    }

    public Task<int> DeleteLinksAsync(IReadOnlyCollection<string> identityKeys, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(identityKeys.Distinct(StringComparer.Ordinal).Count(_links.Remove));
        }
    }

    public Task WriteLinksAsync(IReadOnlyCollection<KeyValuePair<string, string>> links, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            foreach (var (identity, profileId) in links)
            {
                _links[identity] = profileId;
                LinksWritten++;
            }

            return Task.CompletedTask;
        }
    }
}
