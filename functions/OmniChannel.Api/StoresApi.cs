using Microsoft.AspNetCore.Http;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;

namespace OmniChannel.Api;

/// <summary>The store directory, store inventory and a store's pickup queue.</summary>
public sealed class StoresApi(IStoreDirectory stores, IInventoryStore inventory, StoreQueueService queues)
{
    public async Task<IResult> ListAsync(CancellationToken cancellationToken) =>
        TypedResults.Ok(await stores.ListAsync(cancellationToken));

    public async Task<IResult> GetAsync(string storeId, CancellationToken cancellationToken) =>
        await stores.GetAsync(storeId, cancellationToken) is { } store ? TypedResults.Ok(store) : Problems.NotFound($"Store '{storeId}'");

    public async Task<IResult> GetInventoryAsync(string storeId, string sku, CancellationToken cancellationToken)
    {
        if (await stores.GetAsync(storeId, cancellationToken) is null)
        {
            return Problems.NotFound($"Store '{storeId}'");
        }

        var item = (await inventory.ReadAsync(storeId, sku, cancellationToken))?.Value;
        return TypedResults.Ok(new StockLevel(storeId, sku, item?.OnHand ?? 0, item?.Reserved ?? 0, item?.Available ?? 0, item?.UpdatedAt));
    }

    /// <summary>The store's pickup queue; <c>?status=awaitingPick,ready</c> keeps only those parts of it.</summary>
    public async Task<IResult> GetOrdersAsync(string storeId, HttpRequest request, CancellationToken cancellationToken)
    {
        if (!StoreQueueFilter.TryParse(request.Query["status"].ToString(), out var only, out var unknown))
        {
            return Problems.InvalidParameter("status",
                $"'status' is a comma-separated list of {string.Join(", ", StoreQueueFilter.AllowedValues)}; not {string.Join(", ", unknown.Select(value => $"'{value}'"))}.");
        }

        return await queues.GetAsync(storeId, only, cancellationToken) is { } queue ? TypedResults.Ok(queue) : Problems.NotFound($"Store '{storeId}'");
    }
}
