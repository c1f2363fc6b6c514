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
    /// <summary>Retry for ever: an Event Hubs trigger checkpoints a batch once its retries are spent, throw or not.</summary>
    public const int MaxRetryCount = -1;

    /// <summary>The first wait before the host runs a failed batch again.</summary>
    public const string MinimumRetryInterval = "00:00:05";

    /// <summary>The longest wait between two runs of a failed batch: one call per partition per 15 minutes during a long outage.</summary>
    public const string MaximumRetryInterval = "00:15:00";

    /// <remarks>
    /// The handler retries, then parks, any batch it cannot finish, so it throws only when even parking is impossible
    /// or the host is stopping. The retry policy is the backstop for that: while it retries, the checkpoint stays
    /// where it was, so the batch runs again (on this or, after a restart, another instance) instead of being skipped.
    /// Exponential back-off, because a failure that outlived the handler's own minute of retries is an outage.
    /// </remarks>
    [Function(nameof(IngestEvents))]
    [ExponentialBackoffRetry(MaxRetryCount, MinimumRetryInterval, MaximumRetryInterval)]
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
