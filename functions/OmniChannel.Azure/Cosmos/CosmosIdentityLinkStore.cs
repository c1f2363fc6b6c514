using Microsoft.Azure.Cosmos;
using OmniChannel.Core.Ports;

namespace OmniChannel.Azure.Cosmos;

public sealed class CosmosIdentityLinkStore(CosmosDatabaseAccessor database) : IIdentityLinkStore
{
    private static readonly ItemRequestOptions NoContent = new() { EnableContentResponseOnWrite = false };

    private sealed record LinkDocument(string Id, string Identity, string ProfileId);

    public async Task<IReadOnlyDictionary<string, string>> ReadLinksAsync(IReadOnlyCollection<string> identityKeys, CancellationToken cancellationToken)
    {
        if (identityKeys.Count == 0)
        {
            return new Dictionary<string, string>();
        }

        var container = database.Container(CosmosContainers.Identities);
        var documents = await PointReads.ReadManyAsync<LinkDocument>(container, identityKeys.Select(CosmosIds.Encode), cancellationToken);
        return documents.ToDictionary(link => link.Identity, link => link.ProfileId, StringComparer.Ordinal);
    }

    public Task WriteLinksAsync(IReadOnlyCollection<KeyValuePair<string, string>> links, CancellationToken cancellationToken)
    {
        var container = database.Container(CosmosContainers.Identities);
        return Task.WhenAll(links.Select(link =>
        {
            var id = CosmosIds.Encode(link.Key);
            return CosmosErrors.Guard(
                () => container.UpsertItemAsync(new LinkDocument(id, link.Key, link.Value), new PartitionKey(id), NoContent, cancellationToken),
                cancellationToken);
        }));
    }

    public Task<int> DeleteLinksAsync(IReadOnlyCollection<string> identityKeys, CancellationToken cancellationToken) =>
        PointDeletes.DeleteManyAsync(database.Container(CosmosContainers.Identities), identityKeys.Select(CosmosIds.Encode), cancellationToken);
}
