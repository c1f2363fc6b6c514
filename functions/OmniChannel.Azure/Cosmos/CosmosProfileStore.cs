using Microsoft.Azure.Cosmos;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Profiles;

namespace OmniChannel.Azure.Cosmos;

public sealed class CosmosProfileStore(CosmosDatabaseAccessor database) : IProfileStore
{
    private static readonly ItemRequestOptions NoContent = new() { EnableContentResponseOnWrite = false };

    public async Task<IReadOnlyList<Stored<CustomerProfile>>> ReadManyAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var container = database.Container(CosmosContainers.Profiles);
        var items = ids.Select(id => CosmosIds.Encode(id)).Distinct().Select(id => (id, new PartitionKey(id))).ToList();
        var response = await CosmosErrors.Guard(() => container.ReadManyItemsAsync<ProfileDocument>(items, cancellationToken: cancellationToken), cancellationToken);
        return response.Select(document => new Stored<CustomerProfile>(document.Profile, document.ETag!)).ToList();
    }

    public Task SaveAsync(CustomerProfile profile, string? etag, CancellationToken cancellationToken)
    {
        var container = database.Container(CosmosContainers.Profiles);
        var id = CosmosIds.Encode(profile.Id);
        var document = new ProfileDocument(id, profile);
        return CosmosErrors.Guard(
            () => etag is null
                ? container.CreateItemAsync(document, new PartitionKey(id), NoContent, cancellationToken)
                : container.ReplaceItemAsync(document, id, new PartitionKey(id), new ItemRequestOptions { IfMatchEtag = etag, EnableContentResponseOnWrite = false }, cancellationToken),
            cancellationToken);
    }
}
