using System.Security.Cryptography;
using System.Text;

namespace OmniChannel.Core.Ingest;

/// <summary>
/// A batch ingest could not apply because storage stayed down past <see cref="IngestOptions.ParkAfter"/>: its events as
/// received, kept (in a blob) until <see cref="ParkedBatchReplayer"/> applies them once the dependency is back.
/// </summary>
public sealed record ParkedBatch(string Id, string? PartitionId, long? FirstSequence, long? LastSequence, string Reason, DateTimeOffset ParkedAt, IReadOnlyList<ParkedMessage> Messages)
{
    /// <summary>Parks <paramref name="messages"/>; the id is the batch's place in its partition, else a hash of its events, so parking twice is one batch.</summary>
    public static ParkedBatch Of(IReadOnlyList<IngestMessage> messages, string reason, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var first = messages[0];
        var last = messages[^1];
        string id;
        if (first.PartitionId is not null && first.SequenceNumber is not null)
        {
            id = $"{first.PartitionId}-{first.SequenceNumber}-{last.SequenceNumber}";
        }
        else
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var message in messages)
            {
                hash.AppendData(message.Body.Span);
            }

            id = Convert.ToHexStringLower(hash.GetHashAndReset())[..32];
        }

        return new ParkedBatch(id, first.PartitionId, first.SequenceNumber, last.SequenceNumber, reason, at,
            [.. messages.Select(message => new ParkedMessage(Encoding.UTF8.GetString(message.Body.Span), message.TraceParent, message.PartitionId, message.SequenceNumber))]);
    }

    public IReadOnlyList<IngestMessage> ToMessages() =>
        [.. Messages.Select(message => new IngestMessage(Encoding.UTF8.GetBytes(message.Body), message.TraceParent, message.PartitionId, message.SequenceNumber))];
}

/// <summary>One parked event: the structured CloudEvent as the hub delivered it, and where it came from.</summary>
public sealed record ParkedMessage(string Body, string? TraceParent, string? PartitionId, long? SequenceNumber);

/// <summary>A parked batch without its events, for listings.</summary>
public sealed record ParkedBatchSummary(string Id, string? PartitionId, long? FirstSequence, long? LastSequence, string Reason, DateTimeOffset ParkedAt, int Events);
