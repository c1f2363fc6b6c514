using OmniChannel.Core.Events;
using OmniChannel.Core.Inventory;
using OmniChannel.Core.Ports;

namespace OmniChannel.Core.Orders;

/// <summary>
/// Holds, releases and hands over stock for pickup orders. Each change is one ETag-guarded write of the inventory
/// document, which records the order's reservation next to the counts: a retried call finds its own reservation and
/// changes nothing, and two orders racing for the last units cannot both win (the loser re-reads and sees none left).
/// </summary>
public sealed class ReservationService(IInventoryStore inventory)
{
    private const int ConflictRetries = 50;
    private const int MaxBackOffMilliseconds = 200;

    /// <summary>Reserves every line, or nothing: when one line is short, the lines already held are released again.</summary>
    public async Task<ReservationResult> ReserveAsync(string orderId, string storeId, IReadOnlyList<OrderLine> lines, CancellationToken cancellationToken)
    {
        var wanted = Quantities(lines);
        var held = new List<string>();
        foreach (var (sku, quantity) in wanted)
        {
            var shortage = await ReserveLineAsync(orderId, storeId, sku, quantity, cancellationToken);
            if (shortage is null)
            {
                held.Add(sku);
                continue;
            }

            foreach (var heldSku in held)
            {
                await ChangeAsync(storeId, heldSku, item => Release(item, orderId), cancellationToken);
            }

            // Report every short line, not just the first, so the customer can choose another store knowingly.
            return new ReservationResult(false, await ShortagesAsync(storeId, wanted, cancellationToken));
        }

        return ReservationResult.Success;
    }

    /// <summary>Gives the order's units back to the shelf (expiry, cancellation). Idempotent.</summary>
    public async Task ReleaseAsync(string orderId, string storeId, IReadOnlyList<OrderLine> lines, CancellationToken cancellationToken)
    {
        foreach (var (sku, _) in Quantities(lines))
        {
            await ChangeAsync(storeId, sku, item => Release(item, orderId), cancellationToken);
        }
    }

    /// <summary>The customer took the goods: the reservation ends and the units leave on-hand stock. Idempotent.</summary>
    public async Task HandOverAsync(string orderId, string storeId, IReadOnlyList<OrderLine> lines, CancellationToken cancellationToken)
    {
        foreach (var (sku, _) in Quantities(lines))
        {
            await ChangeAsync(storeId, sku, item =>
            {
                if (!item.Reservations.Remove(orderId, out var quantity))
                {
                    return false;
                }

                item.Reserved -= quantity;
                item.OnHand -= quantity;
                return true;
            }, cancellationToken);
        }
    }

    /// <summary>
    /// Moves the stock of a partial pick (<see cref="PickupOrder.PickAdjustments"/>), per SKU in one ETag-guarded write:
    /// the order's hold becomes what the associate has in hand (the picked units, plus substitutes taken for other
    /// lines: a substitute is held from the pick until the hand-over takes it off on-hand, even beyond what is available,
    /// because it is already in the associate's hand), and the short units leave on-hand as far as on-hand still counts
    /// them. They were found missing: left on-hand they would be sold again online as phantom stock. Units a walk-in
    /// sale took are already off on-hand (they are the order's uncovered units, <see cref="InventoryItem.CoveredUnits"/>),
    /// so only the short units beyond those are written off. Each write carries the pick's key
    /// (<c>{orderId}/pick</c>) among the item's recent keys and then in the store's ledger, so a retry after a crash at
    /// any point moves each SKU once.
    /// </summary>
    public async Task AdjustForPickAsync(PickupOrder order, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var eventKey = $"{order.Id}/pick";
        var holds = new SortedDictionary<string, (int Hold, int Missing)>(StringComparer.Ordinal);
        foreach (var line in OrderPick.Lines(order))
        {
            var (hold, missing) = holds.GetValueOrDefault(line.Sku);
            holds[line.Sku] = (hold + line.Picked, missing + line.Short);
            if (line is { SubstituteSku: { } substitute, Substituted: > 0 })
            {
                var (substituteHold, substituteMissing) = holds.GetValueOrDefault(substitute);
                holds[substitute] = (substituteHold + line.Substituted, substituteMissing);
            }
        }

        foreach (var (sku, (hold, missing)) in holds)
        {
            var movement = new StockMovement(order.StoreId, sku, 0, eventKey, at);
            if ((await inventory.RecordedMovementsAsync(order.StoreId, [movement.LedgerId], cancellationToken)).Count > 0)
            {
                continue;
            }

            var moved = false;
            await ChangeAsync(order.StoreId, sku, item =>
            {
                var held = item.Reservations.GetValueOrDefault(order.Id);
                moved = item.AppliedEventKeys.Contains(eventKey);
                if (moved || (held == hold && missing == 0))
                {
                    return false;
                }

                var writeOff = Math.Max(0, missing - (held - item.CoveredUnits(order.Id)));
                movement = movement with { Delta = -writeOff };
                item.OnHand -= writeOff;
                item.Reserved += hold - held;
                if (hold > 0)
                {
                    item.Reservations[order.Id] = hold;
                }
                else
                {
                    item.Reservations.Remove(order.Id);
                }

                InventoryProjector.Remember(item, eventKey);
                item.UpdatedAt = at;
                moved = true;
                return true;
            }, cancellationToken);

            // After the item, as ingest does: a crash in between leaves the key among the item's recent keys, and the
            // retry (which finds it there and moves nothing) records the entry then.
            if (moved)
            {
                await inventory.RecordMovementsAsync(order.StoreId, [movement], cancellationToken);
            }
        }
    }

    /// <summary>What the store cannot supply of these lines right now (read only).</summary>
    public async Task<IReadOnlyList<StockShortage>> ShortagesAsync(string storeId, IReadOnlyList<OrderLine> lines, CancellationToken cancellationToken) =>
        await ShortagesAsync(storeId, Quantities(lines), cancellationToken);

    private async Task<IReadOnlyList<StockShortage>> ShortagesAsync(string storeId, IReadOnlyList<(string Sku, int Quantity)> wanted, CancellationToken cancellationToken)
    {
        var shortages = new List<StockShortage>();
        foreach (var (sku, quantity) in wanted)
        {
            var available = (await inventory.ReadAsync(storeId, sku, cancellationToken))?.Value.Available ?? 0;
            if (available < quantity)
            {
                shortages.Add(new StockShortage(sku, quantity, Math.Max(0, available)));
            }
        }

        return shortages;
    }

    /// <summary>Null when held (now or by an earlier call for this order), else the shortage.</summary>
    private async Task<StockShortage?> ReserveLineAsync(string orderId, string storeId, string sku, int quantity, CancellationToken cancellationToken)
    {
        StockShortage? shortage = null;
        await ChangeAsync(storeId, sku, item =>
        {
            shortage = null;
            if (item.Reservations.ContainsKey(orderId))
            {
                return false;
            }

            if (item.Available < quantity)
            {
                shortage = new StockShortage(sku, quantity, Math.Max(0, item.Available));
                return false;
            }

            item.Reservations[orderId] = quantity;
            item.Reserved += quantity;
            return true;
        }, cancellationToken);
        return shortage;
    }

    private static bool Release(InventoryItem item, string orderId)
    {
        if (!item.Reservations.Remove(orderId, out var quantity))
        {
            return false;
        }

        item.Reserved -= quantity;
        return true;
    }

    /// <summary>Read, change, write with the ETag read; on a lost race, read again. <paramref name="change"/> answers whether it changed anything.</summary>
    private async Task ChangeAsync(string storeId, string sku, Func<InventoryItem, bool> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var stored = await inventory.ReadAsync(storeId, sku, cancellationToken);
            var item = stored?.Value ?? new InventoryItem { StoreId = storeId, Sku = sku };
            if (!change(item))
            {
                return;
            }

            try
            {
                await inventory.SaveAsync(item, stored?.ETag, cancellationToken);
                return;
            }
            catch (StorageConflictException) when (attempt < ConflictRetries)
            {
                // Another order or an ingest batch changed the item first. A burst of orders for one SKU would keep
                // colliding if all retried at once: wait a random, growing while (full jitter, capped) before reading again.
                await Task.Delay(ConflictBackOff(attempt), cancellationToken);
            }
        }
    }

    private static TimeSpan ConflictBackOff(int attempt) =>
        TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Math.Min(MaxBackOffMilliseconds, 2 << Math.Min(attempt, 10)));

    private static List<(string Sku, int Quantity)> Quantities(IReadOnlyList<OrderLine> lines) =>
        lines.GroupBy(line => line.Sku, StringComparer.Ordinal)
            .Select(group => (group.Key, group.Sum(line => line.Quantity)))
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .ToList();
}
