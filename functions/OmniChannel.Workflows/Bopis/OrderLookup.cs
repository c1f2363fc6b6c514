using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;

namespace OmniChannel.Workflows.Bopis;

internal static class OrderLookup
{
    /// <summary>The caller creates the order document before it starts the workflow, so a missing one is a bug, not a retry.</summary>
    public static async Task<PickupOrder> RequireAsync(this IOrderStore orders, string orderId, CancellationToken cancellationToken) =>
        (await orders.GetAsync(orderId, cancellationToken))?.Value
        ?? throw new InvalidOperationException($"Order {orderId} does not exist; it must be stored before its workflow starts.");
}
