using Microsoft.DurableTask;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;

namespace OmniChannel.Workflows.Bopis;

/// <summary>
/// Holds every line of the order at its store, or nothing. Idempotent: the inventory records the reservation per
/// order, so a retry (or an order the API already reserved) finds it and changes nothing.
/// </summary>
public sealed class ReserveOrderStock(IOrderStore orders, ReservationService reservations) : TaskActivity<OrderRef, ReservationResult>
{
    public const string Name = nameof(ReserveOrderStock);

    public override Task<ReservationResult> RunAsync(TaskActivityContext context, OrderRef input) => ExecuteAsync(input, CancellationToken.None);

    /// <summary>The activity's work, for hosts that call it from a function-based trigger.</summary>
    public async Task<ReservationResult> ExecuteAsync(OrderRef input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var order = await orders.RequireAsync(input.OrderId, cancellationToken);
        return await reservations.ReserveAsync(order.Id, order.StoreId, order.Lines, cancellationToken);
    }
}
