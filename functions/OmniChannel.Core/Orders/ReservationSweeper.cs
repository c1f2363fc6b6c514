using OmniChannel.Core.Events;
using OmniChannel.Core.Ports;

namespace OmniChannel.Core.Orders;

/// <summary>
/// Lets go of holds that no open order stands behind: the order is gone (erased, or a hold taken before orders were
/// saved ahead of their holds) or has ended while its hold stayed (a release or hand-over that failed for good).
/// Cancelled, expired and rejected orders' units go back to the shelf; a collected order's are handed over (they left
/// the store with the customer). An order that is placed or open keeps its hold: orders are saved before any unit is
/// held, so a hold whose order is missing is never one being placed right now. The exception is a placement that
/// stopped half-way and was never retried (placed or reserved, no workflow, unmoved for
/// <see cref="PlacementGiveUpAfter"/>): it is rejected and its holds released (<see cref="OrderService.GiveUpStalledPlacementAsync"/>).
/// Idempotent: two sweeps at once, or a sweep racing the workflow's own release, change each hold once. Both hosts run it on a timer.
/// </summary>
public sealed class ReservationSweeper(IStoreDirectory stores, IInventoryStore inventory, IOrderStore orders, ReservationService reservations, OrderService placements)
{
    /// <summary>How long a placement may stand unfinished before the sweep gives it up (a placing request takes seconds).</summary>
    public static readonly TimeSpan PlacementGiveUpAfter = TimeSpan.FromMinutes(10);

    private const int PageSize = 100;

    public async Task<SweepReport> SweepAsync(CancellationToken cancellationToken)
    {
        var (storeCount, heldItems) = (0, 0);
        var swept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var store in await stores.ListAsync(cancellationToken))
        {
            storeCount++;
            var lookedUp = new Dictionary<string, PickupOrder?>(StringComparer.Ordinal);
            string? afterSku = null;
            IReadOnlyList<Inventory.InventoryItem> page;
            do
            {
                page = await inventory.ListHeldAsync(store.Id, afterSku, PageSize, cancellationToken);
                foreach (var item in page)
                {
                    heldItems++;
                    foreach (var (orderId, quantity) in item.Reservations.ToList())
                    {
                        if (!lookedUp.TryGetValue(orderId, out var order))
                        {
                            lookedUp[orderId] = order = (await orders.GetAsync(orderId, cancellationToken))?.Value;
                        }

                        if (order is not null && order.StoreId == store.Id && !order.Status.IsFinished())
                        {
                            if (order.Status is OrderStatus.Placed or OrderStatus.Reserved
                                && await placements.GiveUpStalledPlacementAsync(orderId, PlacementGiveUpAfter, cancellationToken))
                            {
                                // Every line of it was released: its holds on later pages are released again, which changes nothing.
                                order.Status = OrderStatus.Rejected;
                                swept.Add(orderId);
                            }

                            continue;
                        }

                        OrderLine[] held = [new(item.Sku, quantity, 0m)];
                        await (order is { Status: OrderStatus.Collected } && order.StoreId == store.Id
                            ? reservations.HandOverAsync(orderId, store.Id, held, cancellationToken)
                            : reservations.ReleaseAsync(orderId, store.Id, held, cancellationToken));
                        swept.Add(orderId);
                    }
                }

                afterSku = page.Count > 0 ? page[^1].Sku : afterSku;
            }
            while (page.Count == PageSize);
        }

        return new SweepReport(storeCount, heldItems, swept.Count);
    }
}

/// <summary>What a sweep looked at and how many orders' holds it let go.</summary>
public sealed record SweepReport(int Stores, int HeldItems, int OrdersReleased);
