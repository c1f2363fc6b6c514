using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Azure.Cosmos;
using OmniChannel.Core.Inventory;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;

namespace OmniChannel.Azure.IntegrationTests.Fixtures;

/// <summary>
/// The real order and inventory stores with the writes of placing an order counted (an order save, an inventory item
/// save): the <see cref="FailAt"/>-th write fails, either before it reaches the store (a crash between two writes) or
/// after it was stored (the answer lost). <see cref="AfterWrite"/> runs once when that write is stored instead, so a
/// test can slip in a concurrent request at that exact point.
/// </summary>
public sealed class FailingOrderWrites(IOrderStore orders, IInventoryStore inventory) : IOrderStore, IInventoryStore
{
    private int _writes;

    /// <summary>The write to fail or to follow with <see cref="AfterWrite"/> (1-based), or 0 for none.</summary>
    public int FailAt { get; private set; }

    public bool FailAfterStoring { get; private set; }

    public Func<Task>? AfterWrite { get; private set; }

    public int Writes => Volatile.Read(ref _writes);

    public bool Failed { get; private set; }

    /// <summary>Puts the counting stores in place of the real ones (which they wrap) in a backbone's services.</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddSingleton<CosmosOrderStore>();
        services.AddSingleton<CosmosInventoryStore>();
        services.AddSingleton(provider => new FailingOrderWrites(provider.GetRequiredService<CosmosOrderStore>(), provider.GetRequiredService<CosmosInventoryStore>()));
        services.AddSingleton<IOrderStore>(provider => provider.GetRequiredService<FailingOrderWrites>());
        services.AddSingleton<IInventoryStore>(provider => provider.GetRequiredService<FailingOrderWrites>());
    }

    /// <summary>Counts from zero again with the given fault armed.</summary>
    public void Arm(int failAt, bool failAfterStoring = false, Func<Task>? afterWrite = null) =>
        (_writes, FailAt, FailAfterStoring, AfterWrite, Failed) = (0, failAt, failAfterStoring, afterWrite, false);

    public Task<Stored<PickupOrder>?> GetAsync(string orderId, CancellationToken cancellationToken) => orders.GetAsync(orderId, cancellationToken);

    public Task SaveAsync(PickupOrder order, string? etag, CancellationToken cancellationToken) =>
        WriteAsync(() => orders.SaveAsync(order, etag, cancellationToken));

    public Task<IReadOnlyList<PickupOrder>> ListOpenAtStoreAsync(string storeId, int limit, CancellationToken cancellationToken) =>
        orders.ListOpenAtStoreAsync(storeId, limit, cancellationToken);

    public Task<Stored<InventoryItem>?> ReadAsync(string storeId, string sku, CancellationToken cancellationToken) =>
        inventory.ReadAsync(storeId, sku, cancellationToken);

    public Task SaveAsync(InventoryItem item, string? etag, CancellationToken cancellationToken) =>
        WriteAsync(() => inventory.SaveAsync(item, etag, cancellationToken));

    public Task<IReadOnlySet<string>> RecordedMovementsAsync(string storeId, IReadOnlyCollection<string> ledgerIds, CancellationToken cancellationToken) =>
        inventory.RecordedMovementsAsync(storeId, ledgerIds, cancellationToken);

    public Task RecordMovementsAsync(string storeId, IReadOnlyCollection<StockMovement> movements, CancellationToken cancellationToken) =>
        inventory.RecordMovementsAsync(storeId, movements, cancellationToken);

    private async Task WriteAsync(Func<Task> write)
    {
        var number = Interlocked.Increment(ref _writes);
        var chosen = number == FailAt;
        if (chosen && AfterWrite is null && !FailAfterStoring)
        {
            Failed = true;
            throw Fault(number, "before it was stored");
        }

        await write();
        if (chosen && AfterWrite is { } afterWrite)
        {
            AfterWrite = null;
            await afterWrite();
        }
        else if (chosen && FailAfterStoring)
        {
            Failed = true;
            throw Fault(number, "after it was stored");
        }
    }

    private static TransientStorageException Fault(int number, string when) =>
        new($"Injected fault: write {number} failed {when}.", null, new IOException("injected"));
}
