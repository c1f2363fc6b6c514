using Microsoft.DurableTask;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;

namespace OmniChannel.Workflows.Bopis;

/// <summary>The customer took the goods: the reservation ends and the units leave on-hand stock. Idempotent; answers true.</summary>
public sealed class HandOverOrderStock(IOrderStore orders, ReservationService reservations) : TaskActivity<OrderRef, bool>
{
    public const string Name = nameof(HandOverOrderStock);

    public override Task<bool> RunAsync(TaskActivityContext context, OrderRef input) => ExecuteAsync(input, CancellationToken.None);

    /// <summary>The activity's work, for hosts that call it from a function-based trigger.</summary>
    public async Task<bool> ExecuteAsync(OrderRef input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var order = await orders.RequireAsync(input.OrderId, cancellationToken);
        await reservations.HandOverAsync(order.Id, order.StoreId, OrderPick.HeldLines(order), cancellationToken);
        return true;
    }
}
