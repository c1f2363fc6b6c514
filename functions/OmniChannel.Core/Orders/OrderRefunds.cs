using OmniChannel.Core.Ports;

namespace OmniChannel.Core.Orders;

/// <summary>Keeps the workflow's refunds on the order (<see cref="PickupOrder.Refunds"/>): what it has refunded so far, and what a later refund may still pay.</summary>
public static class OrderRefunds
{
    private const int ConflictRetries = 20;

    /// <summary>Records a refund made under <paramref name="refundId"/> (ETag-guarded; a repeat changes nothing).</summary>
    public static async Task RecordRefundAsync(this IOrderStore orders, string orderId, string refundId, decimal amount, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orders);
        for (var attempt = 1; ; attempt++)
        {
            if (await orders.GetAsync(orderId, cancellationToken) is not { } stored || stored.Value.Refunds.ContainsKey(refundId))
            {
                return;
            }

            stored.Value.Refunds[refundId] = amount;
            try
            {
                await orders.SaveAsync(stored.Value, stored.ETag, cancellationToken);
                return;
            }
            catch (StorageConflictException) when (attempt < ConflictRetries)
            {
                // The workflow's status step or a return changed the order meanwhile: read again.
            }
        }
    }
}
