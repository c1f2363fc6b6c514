using OmniChannel.Core.Orders;

namespace OmniChannel.Core.Ports;

public interface IOrderStore
{
    Task<Stored<PickupOrder>?> GetAsync(string orderId, CancellationToken cancellationToken);

    /// <summary>Creates the order when <paramref name="etag"/> is null (throws <see cref="StorageConflictException"/> if it exists), else replaces it if unchanged.</summary>
    Task SaveAsync(PickupOrder order, string? etag, CancellationToken cancellationToken);

    /// <summary>
    /// The store's open (not finished) orders as their order documents say now, oldest placed first, at most
    /// <paramref name="limit"/>. An order that has moved to another store is not listed.
    /// </summary>
    Task<IReadOnlyList<PickupOrder>> ListOpenAtStoreAsync(string storeId, int limit, CancellationToken cancellationToken);
}
