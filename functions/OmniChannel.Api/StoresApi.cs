using Microsoft.AspNetCore.Http;
using OmniChannel.Core.Ports;

namespace OmniChannel.Api;

/// <summary>The store directory and store inventory.</summary>
public sealed class StoresApi(IStoreDirectory stores, IInventoryStore inventory)
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
}
