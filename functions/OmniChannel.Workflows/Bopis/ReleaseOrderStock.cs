using Microsoft.DurableTask;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;

namespace OmniChannel.Workflows.Bopis;

/// <summary>Gives the order's units back to the shelf (expiry, cancellation). Idempotent; answers true.</summary>
public sealed class ReleaseOrderStock(IOrderStore orders, ReservationService reservations) : TaskActivity<OrderRef, bool>
{
    public const string Name = nameof(ReleaseOrderStock);

    public override Task<bool> RunAsync(TaskActivityContext context, OrderRef input) => ExecuteAsync(input, CancellationToken.None);

    /// <summary>The activity's work, for hosts that call it from a function-based trigger.</summary>
    public async Task<bool> ExecuteAsync(OrderRef input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var order = await orders.RequireAsync(input.OrderId, cancellationToken);
        await reservations.ReleaseAsync(order.Id, order.StoreId, OrderPick.HeldLines(order), cancellationToken);
        return true;
    }
}
