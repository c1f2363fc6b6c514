using OmniChannel.Core.Events;
using OmniChannel.Core.Identity;
using OmniChannel.Core.Ports;

namespace OmniChannel.Core.Orders;

/// <summary>
/// An <c>omni.geofence.entered</c> at a pickup store counts as the customer's "I'm here" (<see cref="BopisWorkflow.ArrivedEvent"/>)
/// for each of their orders waiting there: the person behind the signal's identities through the identity graph
/// (<see cref="PersonResolver"/>; a signed-in app user's phone sends its device only), their open pickup orders from
/// their profile, and of those the ones at that store that are ready and were ready when the entry happened (an entry
/// from before the pick, delivered late or replayed, is no arrival). The workflow tells the store once however often
/// the customer walks in; any other state is left alone (no 409 to answer here).
/// </summary>
public sealed class PickupArrivalReaction(OrderService orders, IOrderStore orderStore, PersonResolver people, ProfileStitcher stitcher) : IIngestReaction
{
    public async Task ReactAsync(IReadOnlyList<OmniEvent> events, CancellationToken cancellationToken)
    {
        foreach (var omniEvent in events)
        {
            if (omniEvent.Payload is GeofenceEntered entered
                && await people.CustomerIdAsync(omniEvent.Identities, cancellationToken) is { } customerId)
            {
                await ArriveAsync(customerId, entered.StoreId, omniEvent.Time, cancellationToken);
            }
        }
    }

    private async Task ArriveAsync(string customerId, string storeId, DateTimeOffset enteredAt, CancellationToken cancellationToken)
    {
        var (profile, _) = await stitcher.FindStoredAsync(IdentityKey.Customer(customerId).ToString(), cancellationToken);
        var waiting = profile?.Value.OpenOrders.Where(open => open.Fulfilment == "pickup" && open.StoreId == storeId).Select(open => open.OrderId).ToList() ?? [];
        foreach (var orderId in waiting)
        {
            if (await orderStore.GetAsync(orderId, cancellationToken) is { Value: var order }
                && order.CustomerId == customerId
                && order.StoreId == storeId
                && order.Status == OrderStatus.Ready
                && order.ReadyAt <= enteredAt)
            {
                await orders.SignalAsync(orderId, storeId, BopisWorkflow.ArrivedEvent, cancellationToken);
            }
        }
    }
}
