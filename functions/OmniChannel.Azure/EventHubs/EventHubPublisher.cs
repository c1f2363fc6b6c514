using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Producer;
using OmniChannel.Core.Events;
using OmniChannel.Core.Ports;

namespace OmniChannel.Azure.EventHubs;

/// <summary>
/// Publishes accepted events to the event hub in batches, one partition key per identity so one customer's events
/// stay in order, each carrying the W3C trace context of the collect request.
/// </summary>
public sealed class EventHubPublisher(EventHubProducerClient producer) : IEventPublisher
{
    public async Task PublishAsync(IReadOnlyList<OmniEvent> events, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(events, cancellationToken);
        }
        catch (EventHubsException exception) when (exception.IsTransient || exception.Reason is EventHubsException.FailureReason.ServiceBusy or EventHubsException.FailureReason.ServiceTimeout or EventHubsException.FailureReason.ServiceCommunicationProblem)
        {
            throw new TransientStorageException($"The event hub is unavailable ({exception.Reason}).", TimeSpan.FromSeconds(5), exception);
        }
        catch (TimeoutException exception)
        {
            throw new TransientStorageException("The event hub did not answer in time.", TimeSpan.FromSeconds(5), exception);
        }
    }

    private async Task SendAsync(IReadOnlyList<OmniEvent> events, CancellationToken cancellationToken)
    {
        foreach (var group in events.GroupBy(omniEvent => omniEvent.PartitionKey.ToString(), StringComparer.Ordinal))
        {
            var batch = await producer.CreateBatchAsync(new CreateBatchOptions { PartitionKey = group.Key }, cancellationToken);
            try
            {
                foreach (var omniEvent in group)
                {
                    var data = ToEventData(omniEvent);
                    if (batch.TryAdd(data))
                    {
                        continue;
                    }

                    await producer.SendAsync(batch, cancellationToken);
                    batch.Dispose();
                    batch = await producer.CreateBatchAsync(new CreateBatchOptions { PartitionKey = group.Key }, cancellationToken);
                    if (!batch.TryAdd(data))
                    {
                        throw new InvalidOperationException($"Event {omniEvent.Id} is larger than an event hub message may be.");
                    }
                }

                if (batch.Count > 0)
                {
                    await producer.SendAsync(batch, cancellationToken);
                }
            }
            finally
            {
                batch.Dispose();
            }
        }
    }

    /// <summary>The event hub message of an event: structured-mode CloudEvent bytes, with the trace context also as properties.</summary>
    public static EventData ToEventData(OmniEvent omniEvent)
    {
        var data = new EventData(EventDecoder.EncodeStructured(EventDecoder.ToCloudEvent(omniEvent)))
        {
            ContentType = EventDecoder.StructuredMediaType,
            MessageId = omniEvent.Key,
        };
        if (omniEvent.TraceParent is not null)
        {
            data.Properties[TraceProperties.TraceParent] = omniEvent.TraceParent;

            // The Event Hubs SDKs' own name for the parent trace id.
            data.Properties[TraceProperties.DiagnosticId] = omniEvent.TraceParent;
        }

        if (omniEvent.TraceState is not null)
        {
            data.Properties[TraceProperties.TraceState] = omniEvent.TraceState;
        }

        return data;
    }
}
