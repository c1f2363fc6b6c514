using System.Globalization;
using System.Text.Json.Nodes;
using OmniChannel.Core.Ingest;

namespace OmniChannel.Simulation;

/// <summary>One batch as the Event Hubs trigger hands it to ingest: events of one partition, in partition order.</summary>
/// <param name="FirstSequenceNumber">The partition sequence number of the first event; the others follow on.</param>
public sealed record EventHubBatch(int PartitionId, long FirstSequenceNumber, IReadOnlyList<JsonObject> Events)
{
    /// <summary>The batch as ingest receives it: each event's structured-mode bytes, its partition and sequence number.</summary>
    public IReadOnlyList<IngestMessage> ToIngestMessages()
    {
        var partition = PartitionId.ToString(CultureInfo.InvariantCulture);
        var messages = new IngestMessage[Events.Count];
        for (var index = 0; index < Events.Count; index++)
        {
            messages[index] = new IngestMessage(CloudEventJson.Encode(Events[index]), null, partition, FirstSequenceNumber + index);
        }

        return messages;
    }
}
