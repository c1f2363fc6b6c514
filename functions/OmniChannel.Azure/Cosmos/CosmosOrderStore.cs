using System.Net;
using Microsoft.Azure.Cosmos;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;

namespace OmniChannel.Azure.Cosmos;

public sealed class CosmosOrderStore(CosmosDatabaseAccessor database) : IOrderStore
{
    public async Task<Stored<PickupOrder>?> GetAsync(string orderId, CancellationToken cancellationToken)
    {
        var id = CosmosIds.Encode(orderId);
        try
        {
            var response = await CosmosErrors.Guard(
                () => database.Container(CosmosContainers.Orders).ReadItemAsync<OrderDocument>(id, new PartitionKey(id), cancellationToken: cancellationToken),
                cancellationToken);
            return new Stored<PickupOrder>(response.Resource.Order, response.ETag);
        }
        catch (CosmosException exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task SaveAsync(PickupOrder order, string? etag, CancellationToken cancellationToken)
    {
        var container = database.Container(CosmosContainers.Orders);
        var id = CosmosIds.Encode(order.Id);
        var document = new OrderDocument(id, order);
        return CosmosErrors.Guard(
            () => etag is null
                ? container.CreateItemAsync(document, new PartitionKey(id), new ItemRequestOptions { EnableContentResponseOnWrite = false }, cancellationToken)
                : container.ReplaceItemAsync(document, id, new PartitionKey(id), new ItemRequestOptions { IfMatchEtag = etag, EnableContentResponseOnWrite = false }, cancellationToken),
            cancellationToken);
    }
}
