using OmniChannel.Core.Ports;
using OmniChannel.Core.Prices;

namespace OmniChannel.TestSupport.Fakes;

/// <summary>The delivery ledger in memory: one row per change and subscriber, inserted or replaced; counts the writes.</summary>
public sealed class InMemoryDeliveryLedger : IDeliveryLedger
{
    private readonly Dictionary<(string ChangeId, string SubscriberId), SubscriberDelivery> _rows = [];
    private readonly Lock _lock = new();

    /// <summary>Calls to <see cref="RecordAsync"/> (a batch should be one write, not one per subscriber).</summary>
    public int Writes { get; private set; }

    public SubscriberDelivery Row(string changeId, string subscriberId)
    {
        lock (_lock)
        {
            return _rows[(changeId, subscriberId)];
        }
    }

    public Task RecordAsync(IReadOnlyList<SubscriberDelivery> deliveries, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Writes++;
            foreach (var delivery in deliveries)
            {
                _rows[(delivery.ChangeId, delivery.SubscriberId)] = delivery;
            }

            return Task.CompletedTask;
        }
    }

    public Task<IReadOnlyList<SubscriberDelivery>> ListAsync(string changeId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<SubscriberDelivery> rows = _rows.Values.Where(row => row.ChangeId == changeId).ToList();
            return Task.FromResult(rows);
        }
    }

    public Task<SubscriberDelivery?> GetAsync(string changeId, string subscriberId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_rows.GetValueOrDefault((changeId, subscriberId)));
        }
    }
}
