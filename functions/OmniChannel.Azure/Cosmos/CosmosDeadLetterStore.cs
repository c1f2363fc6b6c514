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
}
