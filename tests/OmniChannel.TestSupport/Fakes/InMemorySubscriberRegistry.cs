using OmniChannel.Core.Ports;
using OmniChannel.Core.Prices;

namespace OmniChannel.TestSupport.Fakes;

/// <summary>The subscriber registry in memory (subscribers are immutable records, so they are kept as given).</summary>
public sealed class InMemorySubscriberRegistry : ISubscriberRegistry
{
    private readonly Dictionary<string, PriceSubscriber> _subscribers = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public void Seed(IEnumerable<PriceSubscriber> subscribers)
    {
        lock (_lock)
        {
            foreach (var subscriber in subscribers)
            {
                _subscribers[subscriber.Id] = subscriber;
            }
        }
    }

    public Task<IReadOnlyList<PriceSubscriber>> ListAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<PriceSubscriber> all = _subscribers.Values.OrderBy(subscriber => subscriber.Id, StringComparer.Ordinal).ToList();
            return Task.FromResult(all);
        }
    }

    public Task<PriceSubscriber?> GetAsync(string subscriberId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_subscribers.GetValueOrDefault(subscriberId));
        }
    }

    public Task UpsertAsync(IReadOnlyCollection<PriceSubscriber> subscribers, CancellationToken cancellationToken)
    {
        Seed(subscribers);
        return Task.CompletedTask;
    }

    public Task<bool> DeleteAsync(string subscriberId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_subscribers.Remove(subscriberId));
        }
    }
}
