using OmniChannel.Core.Events;
using OmniChannel.Core.Ingest;
using OmniChannel.Core.Ports;

namespace OmniChannel.Core.Inventory;

/// <summary>
/// Applies a batch's stock movements: one read and one ETag-guarded write per store and SKU, then each movement's entry
/// in the store's ledger (one document per event and SKU, created once). The ledger is what makes a replay safe however
/// late: an event stored before (not new to the event store) moves stock only if neither the item's recent keys nor the
/// ledger know it. So a parked batch replayed hours later, after hundreds of sales of the same SKU, takes nothing twice,
/// and one whose first attempt stored its events but failed before moving stock moves it now. Events new to the event
/// store cannot have moved stock before, so they cost no ledger read.
/// </summary>
public sealed class InventoryUpdater(IInventoryStore inventory, IngestOptions options)
{
    /// <param name="newlyStored">The events this attempt stored for the first time (the event store's answer); null when unknown, which checks every movement.</param>
    public async Task<int> ApplyAsync(IReadOnlyList<OmniEvent> events, IReadOnlyCollection<OmniEvent>? newlyStored, CancellationToken cancellationToken)
    {
        HashSet<string>? newKeys = null;
        if (newlyStored is not null)
        {
            newKeys = new HashSet<string>(newlyStored.Count, StringComparer.Ordinal);
            foreach (var omniEvent in newlyStored)
            {
                newKeys.Add(omniEvent.Key);
            }
        }

        var groups = MovementsByItem(events);
        var written = 0;
        await Parallel.ForEachAsync(
            groups,
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelWrites, CancellationToken = cancellationToken },
            async (group, token) =>
            {
                if (await ApplyGroupAsync(group.Key.StoreId, group.Key.Sku, group.Value, newKeys, token))
                {
                    Interlocked.Increment(ref written);
                }
            });
        return written;
    }

    /// <summary>The batch's stock movements by store and SKU, in order of each item's first movement.</summary>
    private static List<KeyValuePair<(string StoreId, string Sku), List<StockMovement>>> MovementsByItem(IReadOnlyList<OmniEvent> events)
    {
        var groups = new List<KeyValuePair<(string StoreId, string Sku), List<StockMovement>>>();
        var byItem = new Dictionary<(string StoreId, string Sku), List<StockMovement>>();
        foreach (var omniEvent in events)
        {
            if (!InventoryProjector.MovesStock(omniEvent))
            {
                continue;
            }

            foreach (var movement in InventoryProjector.Movements(omniEvent))
            {
                if (!byItem.TryGetValue((movement.StoreId, movement.Sku), out var movements))
                {
                    byItem.Add((movement.StoreId, movement.Sku), movements = []);
                    groups.Add(KeyValuePair.Create((movement.StoreId, movement.Sku), movements));
                }

                movements.Add(movement);
            }
        }

        return groups;
    }

    private async Task<bool> ApplyGroupAsync(string storeId, string sku, List<StockMovement> movements, HashSet<string>? newKeys, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var stored = await inventory.ReadAsync(storeId, sku, cancellationToken);
            var item = stored?.Value ?? new InventoryItem { StoreId = storeId, Sku = sku };

            // Only an event stored before may have moved stock before; the item's recent keys answer for most of those.
            List<string>? toLookUp = null;
            foreach (var movement in movements)
            {
                if (newKeys?.Contains(movement.EventKey) != true && !item.AppliedEventKeys.Contains(movement.EventKey))
                {
                    (toLookUp ??= []).Add(movement.LedgerId);
                }
            }

            var recorded = toLookUp is null ? null : await inventory.RecordedMovementsAsync(storeId, toLookUp, cancellationToken);
            var changed = false;
            List<StockMovement>? toRecord = null;
            foreach (var movement in movements)
            {
                if (recorded?.Contains(movement.LedgerId) == true)
                {
                    continue;
                }

                changed |= InventoryProjector.Apply(item, movement);
                (toRecord ??= []).Add(movement);
            }

            try
            {
                if (changed)
                {
                    await inventory.SaveAsync(item, stored?.ETag, cancellationToken);
                }
            }
            catch (StorageConflictException) when (attempt < options.ConflictRetries)
            {
                // A reservation or another batch moved this item meanwhile: re-read and apply again.
                continue;
            }

            // After the item: a failure in between leaves the movement among the item's recent keys, and the retry
            // (which finds it there) records it then. Movements found there are recorded again too (a create that
            // finds its entry changes nothing), so the ledger always catches up.
            if (toRecord is not null)
            {
                await inventory.RecordMovementsAsync(storeId, toRecord, cancellationToken);
            }

            return changed;
        }
    }
}
