using OmniChannel.Core.Events;
using OmniChannel.Core.Ports;

namespace OmniChannel.Core.Orders;

/// <summary>Starts the pickup workflow for every <c>omni.order.placed</c> event with fulfilment pickup that ingest takes.</summary>
public sealed class PickupOrderReaction(OrderService orders) : IIngestReaction
{
    public async Task ReactAsync(IReadOnlyList<OmniEvent> events, CancellationToken cancellationToken)
    {
        foreach (var omniEvent in events)
        {
            if (omniEvent.Payload is OrderPlaced { Fulfilment: Fulfilment.Pickup })
            {
                await orders.StartFromEventAsync(omniEvent, cancellationToken);
            }
        }
    }
}
