using Azure;
using Azure.Data.Tables;

namespace OmniChannel.Azure.Tables;

/// <summary>
/// Adds to a row that many writers change at once (counters): a read, then a write guarded by the row's ETag (or an
/// add when there is none), repeated with jittered back-off when another writer got there first.
/// </summary>
internal static class TableRowMerge
{
    /// <summary>Enough for a few dozen writers on one row; past it the conflict is passed on.</summary>
    private const int MaxAttempts = 30;

    /// <param name="next">The row to write, from the stored one (null when there is none yet).</param>
    public static async Task MergeAsync(TableClient table, string partition, string row, Func<TableEntity?, TableEntity> next, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken);
            try
            {
                if (!current.HasValue)
                {
                    await table.AddEntityAsync(next(null), cancellationToken);
                    return;
                }

                var stored = current.Value!;
                await table.UpdateEntityAsync(next(stored), stored.ETag, TableUpdateMode.Replace, cancellationToken);
                return;
            }
            catch (RequestFailedException exception) when (exception.Status is 409 or 412 && attempt < MaxAttempts)
            {
                // Another writer added the row first (409) or changed it since the read (412): read again, after a
                // random pause that grows with the attempts, so the writers that collided do not collide again.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * Math.Min(attempt, 10))), cancellationToken);
            }
        }
    }
}
