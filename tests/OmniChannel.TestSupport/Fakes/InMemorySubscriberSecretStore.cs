using OmniChannel.Core.Ports;

namespace OmniChannel.TestSupport.Fakes;

/// <summary>Subscribers' signing secrets in memory.</summary>
public sealed class InMemorySubscriberSecretStore : ISubscriberSecretStore
{
    private readonly Dictionary<string, string> _secrets = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public Task<string?> GetAsync(string subscriberId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_secrets.GetValueOrDefault(subscriberId));
        }
    }

    public Task SetAsync(string subscriberId, string secret, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _secrets[subscriberId] = secret;
            return Task.CompletedTask;
        }
    }

    public Task DeleteAsync(string subscriberId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _secrets.Remove(subscriberId);
            return Task.CompletedTask;
        }
    }
}
