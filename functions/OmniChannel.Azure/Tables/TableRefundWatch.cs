using Azure;
using Azure.Data.Tables;
using OmniChannel.Core;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;

namespace OmniChannel.Azure.Tables;

/// <summary>
/// The refund watch in Azure Tables: one partition, a row per order (escaped id) with its state, store, reason and
/// since when. Only orders with money outstanding have a row, so a list reads the table whole.
/// </summary>
public sealed class TableRefundWatch(TableServiceClient service) : IRefundWatch
{
    private const string Partition = "refunds";

    private TableClient Table => service.GetTableClient(OmniChannelNames.Tables.RefundWatch);

    public async Task WatchAsync(RefundWatchEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await Table.UpsertEntityAsync(
            new TableEntity(Partition, TableKeys.Escape(entry.OrderId))
            {
                [nameof(RefundWatchEntry.OrderId)] = entry.OrderId,
                [nameof(RefundWatchEntry.StoreId)] = entry.StoreId,
                [nameof(RefundWatchEntry.State)] = entry.State.ToString(),
                [nameof(RefundWatchEntry.Reason)] = entry.Reason,
                [nameof(RefundWatchEntry.Since)] = entry.Since,
            },
            TableUpdateMode.Replace,
            cancellationToken);
    }

    public async Task ForgetAsync(string orderId, CancellationToken cancellationToken) =>
        await Table.DeleteEntityAsync(Partition, TableKeys.Escape(orderId), ETag.All, cancellationToken);

    public async Task<IReadOnlyList<RefundWatchEntry>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        var rows = new List<RefundWatchEntry>();
        await foreach (var entity in Table.QueryAsync<TableEntity>(row => row.PartitionKey == Partition, cancellationToken: cancellationToken))
        {
            rows.Add(new RefundWatchEntry(
                entity.GetString(nameof(RefundWatchEntry.OrderId)),
                entity.GetString(nameof(RefundWatchEntry.StoreId)),
                Enum.Parse<RefundState>(entity.GetString(nameof(RefundWatchEntry.State))),
                entity.GetString(nameof(RefundWatchEntry.Reason)),
                entity.GetDateTimeOffset(nameof(RefundWatchEntry.Since)) ?? DateTimeOffset.MinValue));
        }

        return [.. rows.OrderBy(row => row.Since).ThenBy(row => row.OrderId, StringComparer.Ordinal).Take(limit)];
    }
}
