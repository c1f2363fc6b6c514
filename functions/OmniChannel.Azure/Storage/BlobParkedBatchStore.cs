using System.Net;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using OmniChannel.Core;
using OmniChannel.Core.Ingest;
using OmniChannel.Core.Ports;

namespace OmniChannel.Azure.Storage;

/// <summary>
/// Parked ingest batches as JSON blobs in the container <c>parked</c>, named by the time they were parked so a listing
/// is oldest first. Storage faults surface as <see cref="TransientStorageException"/>. The container is declared in
/// Bicep; the first park also creates it when missing (the identity may: it is Storage Blob Data Owner), because a
/// batch must never fail to park for want of a container.
/// </summary>
public sealed class BlobParkedBatchStore(BlobServiceClient service) : IParkedBatchStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly BlobContainerClient _container = service.GetBlobContainerClient(OmniChannelNames.ParkedContainer);
    private int _created;

    public async Task ParkAsync(ParkedBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await EnsureContainerAsync(cancellationToken);

        // A batch parked again (its retry also failed) keeps its first name: find it by id, else name it by now.
        var name = await FindAsync(batch.Id, cancellationToken) ?? BlobName(batch);
        await Guard(() => _container.GetBlobClient(name).UploadAsync(BinaryData.FromObjectAsJson(batch, Json), overwrite: true, cancellationToken));
    }

    public async Task<IReadOnlyList<ParkedBatch>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        var batches = new List<ParkedBatch>();
        foreach (var name in await NamesAsync(limit, cancellationToken))
        {
            try
            {
                var content = await Guard(() => _container.GetBlobClient(name).DownloadContentAsync(cancellationToken));
                batches.Add(content.Value.Content.ToObjectFromJson<ParkedBatch>(Json)!);
            }
            catch (RequestFailedException exception) when (exception.Status == (int)HttpStatusCode.NotFound)
            {
                // Replayed meanwhile.
            }
        }

        return batches;
    }

    public async Task RemoveAsync(string id, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is { } name)
        {
            await Guard(() => _container.GetBlobClient(name).DeleteIfExistsAsync(cancellationToken: cancellationToken));
        }
    }

    public async Task<int> CountAsync(CancellationToken cancellationToken) => (await NamesAsync(int.MaxValue, cancellationToken)).Count;

    private async Task<List<string>> NamesAsync(int limit, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        try
        {
            await foreach (var item in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: null, cancellationToken))
            {
                names.Add(item.Name);
            }
        }
        catch (RequestFailedException exception) when (exception.Status == (int)HttpStatusCode.NotFound)
        {
            return names; // no container yet: nothing was ever parked
        }
        catch (Exception exception) when (exception is RequestFailedException || StorageFailures.IsTransient(exception))
        {
            throw StorageFailures.Transient(BlobStorage, exception);
        }

        // Names start with the parking time, so the ordinal order is oldest first.
        return [.. names.Order(StringComparer.Ordinal).Take(limit)];
    }

    private async Task<string?> FindAsync(string id, CancellationToken cancellationToken) =>
        (await NamesAsync(int.MaxValue, cancellationToken)).FirstOrDefault(name => name.EndsWith("_" + id + ".json", StringComparison.Ordinal));

    private static string BlobName(ParkedBatch batch) => $"{batch.ParkedAt.UtcDateTime:yyyyMMdd'T'HHmmssfffffff}_{batch.Id}.json";

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        // Marked only once it succeeded: a first park during a storage outage must not leave the container missing for
        // good (every later park would then fail with 404). Concurrent creates are harmless.
        if (Volatile.Read(ref _created) == 0)
        {
            await Guard(() => _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken));
            Volatile.Write(ref _created, 1);
        }
    }

    private static async Task<T> Guard<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception exception) when (StorageFailures.IsTransient(exception))
        {
            throw StorageFailures.Transient(BlobStorage, exception);
        }
    }

    private const string BlobStorage = "Blob storage";
}
