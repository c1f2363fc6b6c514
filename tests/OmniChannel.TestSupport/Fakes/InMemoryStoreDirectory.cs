using OmniChannel.Core.Ports;
using OmniChannel.Core.Stores;

namespace OmniChannel.TestSupport.Fakes;

/// <summary>The store directory in memory (stores are immutable records, so they are kept as given); shared by the Core and workflow tests.</summary>
public sealed class InMemoryStoreDirectory : IStoreDirectory
{
    private readonly Dictionary<string, Store> _stores = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public void Seed(params Store[] stores)
    {
        lock (_lock)
        {
            foreach (var store in stores)
            {
                _stores[store.Id] = store;
            }
        }
    }

    public Task<IReadOnlyList<Store>> ListAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<Store> all = _stores.Values.OrderBy(store => store.Id, StringComparer.Ordinal).ToList();
            return Task.FromResult(all);
        }
    }

    public Task<Store?> GetAsync(string storeId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_stores.GetValueOrDefault(storeId));
        }
    }

    public Task UpsertAsync(IReadOnlyCollection<Store> stores, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            foreach (var store in stores)
            {
                _stores[store.Id] = store;
            }

            return Task.CompletedTask;
        }
    }
}
