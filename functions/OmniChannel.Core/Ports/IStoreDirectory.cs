using OmniChannel.Core.Stores;

namespace OmniChannel.Core.Ports;

/// <summary>The store directory.</summary>
public interface IStoreDirectory
{
    Task<IReadOnlyList<Store>> ListAsync(CancellationToken cancellationToken);

    Task<Store?> GetAsync(string storeId, CancellationToken cancellationToken);

    Task UpsertAsync(IReadOnlyCollection<Store> stores, CancellationToken cancellationToken);
}
