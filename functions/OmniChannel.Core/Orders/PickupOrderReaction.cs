using OmniChannel.Core.Events;
using OmniChannel.Core.Identity;
using OmniChannel.Core.Ports;

namespace OmniChannel.Core.Orders;

/// <summary>
/// Starts the pickup workflow for every <c>omni.order.placed</c> event with fulfilment pickup that ingest takes. An order
/// placed with a device or a loyalty card only is the customer's behind it, through the identity graph; a guest's (no
/// customer behind any identity) is kept under the identity it came with, and is fulfilled all the same.
/// </summary>
public sealed class PickupOrderReaction(OrderService orders, PersonResolver people) : IIngestReaction
{
    public async Task ReactAsync(IReadOnlyList<OmniEvent> events, CancellationToken cancellationToken)
    {
        foreach (var omniEvent in events)
        {
            if (omniEvent.Payload is OrderPlaced { Fulfilment: Fulfilment.Pickup })
            {
                var customer = await people.CustomerIdAsync(omniEvent.Identities, cancellationToken) ?? omniEvent.Identities.Primary?.ToString();
                if (customer is not null)
                {
                    await orders.StartFromEventAsync(omniEvent, customer, cancellationToken);
                }
            }
        }
    }
}
