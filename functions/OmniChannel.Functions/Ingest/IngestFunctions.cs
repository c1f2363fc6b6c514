#if EVENTHUBS_TRIGGER
using Azure.Messaging.EventHubs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OmniChannel.Azure.EventHubs;
using OmniChannel.Core;

namespace OmniChannel.Functions.Ingest;

/// <summary>
/// The Event Hubs trigger (batched). Compiled only with -p:EnableEventHubsTrigger=true, because its extension package
/// cannot be restored on the build machines here; see the README.
/// </summary>
public sealed class IngestFunctions(EventHubBatchHandler handler)
{
    [Function(nameof(IngestEvents))]
    public Task IngestEvents(
        [EventHubTrigger(
            "%" + OmniChannelNames.Settings.EventHubName + "%",
            Connection = OmniChannelNames.Settings.EventHubConnection,
            ConsumerGroup = "%" + OmniChannelNames.Settings.EventHubConsumerGroup + "%",
            IsBatched = true)]
        EventData[] events,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        handler.HandleAsync(events, partitionId: null, cancellationToken);
}
#endif
