using Microsoft.Azure.Cosmos;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Profiles;

namespace OmniChannel.Azure.Cosmos;

public sealed class CosmosProfileStore(CosmosDatabaseAccessor database) : IProfileStore
{
    public async Task<IReadOnlyList<Stored<CustomerProfile>>> ReadManyAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var container = database.Container(CosmosContainers.Profiles);
        var documents = await PointReads.ReadManyAsync<ProfileDocument>(container, ids.Select(CosmosIds.Encode), cancellationToken);
        return documents.Select(document => new Stored<CustomerProfile>(document.Profile, document.ETag!)).ToList();
    }

    public Task SaveAsync(CustomerProfile profile, string? etag, CancellationToken cancellationToken)
    {
        var container = database.Container(CosmosContainers.Profiles);
        var id = CosmosIds.Encode(profile.Id);
        var document = new ProfileDocument(id, profile);
        return CosmosDocuments.WriteAsync(container, document, id, new PartitionKey(id), etag, cancellationToken);
    }

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var encoded = CosmosIds.Encode(id);
        return PointDeletes.DeleteAsync(database.Container(CosmosContainers.Profiles), encoded, encoded, cancellationToken);
    }
}
