using System.Net;
using System.Text.Json;
using Microsoft.Azure.Cosmos;

namespace OmniChannel.Azure.Cosmos;

/// <summary>
/// Point operations through the SDK's stream API, which answers a status instead of throwing: a document that is not
/// there (404), one created before (409) and one gone on delete are plain results, because ingest meets them all the
/// time (new people, redelivered events). Documents are (de)serialised with <see cref="CosmosJson.Options"/>, the
/// settings the client's typed calls use; every other failure becomes what the typed calls throw (see
/// <see cref="CosmosErrors"/>).
/// </summary>
internal static class CosmosDocuments
{
    private static readonly ItemRequestOptions NoContent = new() { EnableContentResponseOnWrite = false };

    /// <summary>One document and its ETag, or null when it is not there.</summary>
    public static async Task<(T Document, string ETag)?> ReadAsync<T>(Container container, string id, PartitionKey partitionKey, CancellationToken cancellationToken)
    {
        using var response = await CosmosErrors.Guard(() => container.ReadItemStreamAsync(id, partitionKey, cancellationToken: cancellationToken), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        EnsureSuccess(response);
        var document = await JsonSerializer.DeserializeAsync<T>(response.Content, CosmosJson.Options, cancellationToken)
            ?? throw new InvalidOperationException($"Cosmos DB answered an empty document for '{id}'.");
        return (document, response.Headers.ETag);
    }

    /// <summary>Creates a document; false when one with its id was there already (nothing changed).</summary>
    public static async Task<bool> TryCreateAsync<T>(Container container, T document, PartitionKey partitionKey, CancellationToken cancellationToken)
    {
        using var content = Serialize(document);
        using var response = await CosmosErrors.Guard(() => container.CreateItemStreamAsync(content, partitionKey, NoContent, cancellationToken), cancellationToken);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }

        EnsureSuccess(response);
        return true;
    }

    /// <summary>
    /// Creates a document (<paramref name="etag"/> null) or replaces the version read (its ETag). Losing that race —
    /// the document created or changed by someone else meanwhile — is the core's <see cref="Core.Ports.StorageConflictException"/>,
    /// as the store ports promise their callers.
    /// </summary>
    public static async Task WriteAsync<T>(Container container, T document, string id, PartitionKey partitionKey, string? etag, CancellationToken cancellationToken)
    {
        using var content = Serialize(document);
        using var response = await CosmosErrors.Guard(
            () => etag is null
                ? container.CreateItemStreamAsync(content, partitionKey, NoContent, cancellationToken)
                : container.ReplaceItemStreamAsync(content, id, partitionKey, new ItemRequestOptions { IfMatchEtag = etag, EnableContentResponseOnWrite = false }, cancellationToken),
            cancellationToken);
        EnsureSuccess(response);
    }

    /// <summary>Deletes a document (with <paramref name="etag"/>, only that version); false when it was not there.</summary>
    public static async Task<bool> DeleteAsync(Container container, string id, PartitionKey partitionKey, string? etag, CancellationToken cancellationToken)
    {
        var options = new ItemRequestOptions { IfMatchEtag = etag, EnableContentResponseOnWrite = false };
        using var response = await CosmosErrors.Guard(() => container.DeleteItemStreamAsync(id, partitionKey, options, cancellationToken), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        EnsureSuccess(response);
        return true;
    }

    private static MemoryStream Serialize<T>(T document) => new(JsonSerializer.SerializeToUtf8Bytes(document, CosmosJson.Options), writable: false);

    private static void EnsureSuccess(ResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw CosmosErrors.FromFailedResponse(response);
        }
    }
}
