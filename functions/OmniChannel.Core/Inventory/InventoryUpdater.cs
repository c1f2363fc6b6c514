using OmniChannel.Core.Events;
using OmniChannel.Core.Ingest;
using OmniChannel.Core.Ports;

namespace OmniChannel.Core.Inventory;

/// <summary>Applies a batch's stock movements: one read and one ETag-guarded write per store and SKU.</summary>
public sealed class InventoryUpdater(IInventoryStore inventory, IngestOptions options)
{
    public async Task<int> ApplyAsync(IReadOnlyList<OmniEvent> events, CancellationToken cancellationToken)
    {
        var groups = MovementsByItem(events);
        var written = 0;
        await Parallel.ForEachAsync(
            groups,
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelWrites, CancellationToken = cancellationToken },
            async (group, token) =>
            {
                if (await ApplyGroupAsync(group.Key.StoreId, group.Key.Sku, group.Value, token))
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

    private async Task<bool> ApplyGroupAsync(string storeId, string sku, List<StockMovement> movements, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var stored = await inventory.ReadAsync(storeId, sku, cancellationToken);
            var item = stored?.Value ?? new InventoryItem { StoreId = storeId, Sku = sku };
            var changed = false;
            foreach (var movement in movements)
            {
                changed |= InventoryProjector.Apply(item, movement);
            }

            if (!changed)
            {
                return false;
            }

            try
            {
                await inventory.SaveAsync(item, stored?.ETag, cancellationToken);
                return true;
            }
            catch (StorageConflictException) when (attempt < options.ConflictRetries)
            {
                // A reservation or another batch moved this item meanwhile: re-read and apply again.
            }
        }
    }
}
