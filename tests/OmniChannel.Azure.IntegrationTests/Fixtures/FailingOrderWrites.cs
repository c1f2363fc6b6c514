using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Azure.Cosmos;
using OmniChannel.Core.Inventory;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;

namespace OmniChannel.Azure.IntegrationTests.Fixtures;

/// <summary>
/// The real order and inventory stores with the writes of placing an order counted (an order save, an inventory item
/// save), one of them failing as <see cref="NthWriteFault"/> is armed.
/// </summary>
public sealed class FailingOrderWrites(IOrderStore orders, IInventoryStore inventory) : NthWriteFault, IOrderStore, IInventoryStore
{
    /// <summary>Puts the counting stores in place of the real ones (which they wrap) in a backbone's services.</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddSingleton<CosmosOrderStore>();
        services.AddSingleton<CosmosInventoryStore>();
        services.AddSingleton(provider => new FailingOrderWrites(provider.GetRequiredService<CosmosOrderStore>(), provider.GetRequiredService<CosmosInventoryStore>()));
        services.AddSingleton<IOrderStore>(provider => provider.GetRequiredService<FailingOrderWrites>());
        services.AddSingleton<IInventoryStore>(provider => provider.GetRequiredService<FailingOrderWrites>());
    }

    public Task<Stored<PickupOrder>?> GetAsync(string orderId, CancellationToken cancellationToken) => orders.GetAsync(orderId, cancellationToken);

    public Task SaveAsync(PickupOrder order, string? etag, CancellationToken cancellationToken) =>
        WriteAsync(() => orders.SaveAsync(order, etag, cancellationToken));

    public Task<IReadOnlyList<PickupOrder>> ListOpenAtStoreAsync(string storeId, int limit, CancellationToken cancellationToken) =>
        orders.ListOpenAtStoreAsync(storeId, limit, cancellationToken);

    public Task<Stored<InventoryItem>?> ReadAsync(string storeId, string sku, CancellationToken cancellationToken) =>
        inventory.ReadAsync(storeId, sku, cancellationToken);

    public Task SaveAsync(InventoryItem item, string? etag, CancellationToken cancellationToken) =>
        WriteAsync(() => inventory.SaveAsync(item, etag, cancellationToken));

    public Task<IReadOnlyList<InventoryItem>> ListHeldAsync(string storeId, string? afterSku, int limit, CancellationToken cancellationToken) =>
        inventory.ListHeldAsync(storeId, afterSku, limit, cancellationToken);

    public Task<IReadOnlySet<string>> RecordedMovementsAsync(string storeId, IReadOnlyCollection<string> ledgerIds, CancellationToken cancellationToken) =>
        inventory.RecordedMovementsAsync(storeId, ledgerIds, cancellationToken);

    public Task RecordMovementsAsync(string storeId, IReadOnlyCollection<StockMovement> movements, CancellationToken cancellationToken) =>
        inventory.RecordMovementsAsync(storeId, movements, cancellationToken);
}
