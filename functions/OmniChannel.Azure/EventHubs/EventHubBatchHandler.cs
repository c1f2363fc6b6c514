using Azure.Messaging.EventHubs;
using OmniChannel.Core.Ingest;

namespace OmniChannel.Azure.EventHubs;

/// <summary>
/// The ingest handler for what the Event Hubs trigger binds (<see cref="EventData"/>[]): hands the batch to the
/// core's ingest service. The local host's partitioned log calls the same method.
/// </summary>
public sealed class EventHubBatchHandler(IngestService ingest)
{
    public Task<IngestReport> HandleAsync(IReadOnlyList<EventData> batch, string? partitionId, CancellationToken cancellationToken)
    {
        var messages = batch.Select(data => new IngestMessage(
            data.EventBody.ToMemory(),
            TraceParentOf(data),
            partitionId,
            // An EventData that did not come from a hub has no sequence number (long.MinValue).
            data.SequenceNumber >= 0 ? data.SequenceNumber : null)).ToList();
        return ingest.IngestAsync(messages, cancellationToken);
    }

    private static string? TraceParentOf(EventData data) =>
        data.Properties.TryGetValue(TraceProperties.TraceParent, out var traceParent) ? traceParent as string
        : data.Properties.TryGetValue(TraceProperties.DiagnosticId, out var diagnosticId) ? diagnosticId as string
        : null;
}
