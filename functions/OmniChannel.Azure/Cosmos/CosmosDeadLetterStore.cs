using System.Globalization;
using Microsoft.Azure.Cosmos;
using OmniChannel.Core.Ports;

namespace OmniChannel.Azure.Cosmos;

public sealed class CosmosDeadLetterStore(CosmosDatabaseAccessor database) : IDeadLetterStore
{
    private sealed record DeadLetterDocument(string Id, string Day, string Reason, string Body, string? PartitionId, long? SequenceNumber, string? TraceParent, DateTimeOffset FailedAt);

    public Task WriteAsync(DeadLetter letter, CancellationToken cancellationToken)
    {
        var container = database.Container(CosmosContainers.DeadLetters);
        var day = letter.FailedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var document = new DeadLetterDocument(CosmosIds.Encode(letter.Id), day, letter.Reason, letter.Body, letter.PartitionId, letter.SequenceNumber, letter.TraceParent, letter.FailedAt);
        return CosmosErrors.Guard(
            () => container.UpsertItemAsync(document, new PartitionKey(day), new ItemRequestOptions { EnableContentResponseOnWrite = false }, cancellationToken),
            cancellationToken);
    }

    public async Task<IReadOnlyList<DeadLetter>> ListAsync(string day, int limit, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT TOP @limit * FROM c WHERE c.day = @day ORDER BY c.failedAt ASC")
            .WithParameter("@limit", limit)
            .WithParameter("@day", day);
        var documents = await CosmosQueries.TopAsync<DeadLetterDocument>(database.Container(CosmosContainers.DeadLetters), query, day, limit, cancellationToken);
        return documents
            .Select(document => new DeadLetter(document.Id, document.Reason, document.Body, document.PartitionId, document.SequenceNumber, document.TraceParent, document.FailedAt))
            .ToList();
    }

    public async Task DeleteAsync(DeadLetter letter, CancellationToken cancellationToken)
    {
        var day = letter.FailedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        // Not there (false): deleted by an earlier replay.
        await CosmosDocuments.DeleteAsync(database.Container(CosmosContainers.DeadLetters), CosmosIds.Encode(letter.Id), new PartitionKey(day), etag: null, cancellationToken);
    }
}
