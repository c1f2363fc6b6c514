using Azure.Data.Tables;
using OmniChannel.Core;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Remarketing;

namespace OmniChannel.Azure.Tables;

/// <summary>
/// Coupon conflicts in Azure Tables: one partition, a row per sale and code (escaped; upserted, so a redelivered sale
/// rewrites its own row). Conflicts are rare (a till offline while a code is misused), so a list reads the table whole.
/// </summary>
public sealed class TableCouponConflictLog(TableServiceClient service) : ICouponConflictLog
{
    private const string Partition = "conflicts";

    private TableClient Table => service.GetTableClient(OmniChannelNames.Tables.CouponConflicts);

    public async Task RecordAsync(CouponConflict conflict, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conflict);
        var entity = new TableEntity(Partition, TableKeys.Escape(conflict.SaleId) + "|" + TableKeys.Escape(conflict.Code))
        {
            [nameof(CouponConflict.Code)] = conflict.Code,
            [nameof(CouponConflict.SaleId)] = conflict.SaleId,
            [nameof(CouponConflict.StoreId)] = conflict.StoreId,
            [nameof(CouponConflict.SaleAt)] = conflict.SaleAt,
            [nameof(CouponConflict.SaleTotal)] = conflict.SaleTotal.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [nameof(CouponConflict.Verdict)] = conflict.Verdict.ToString(),
            [nameof(CouponConflict.Reason)] = conflict.Reason,
            [nameof(CouponConflict.RecordedAt)] = conflict.RecordedAt,
        };
        await Table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<IReadOnlyList<CouponConflict>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        var rows = new List<CouponConflict>();
        await foreach (var entity in Table.QueryAsync<TableEntity>(row => row.PartitionKey == Partition, cancellationToken: cancellationToken))
        {
            rows.Add(new CouponConflict(
                entity.GetString(nameof(CouponConflict.Code)),
                entity.GetString(nameof(CouponConflict.SaleId)),
                entity.GetString(nameof(CouponConflict.StoreId)),
                entity.GetDateTimeOffset(nameof(CouponConflict.SaleAt)) ?? DateTimeOffset.MinValue,
                decimal.Parse(entity.GetString(nameof(CouponConflict.SaleTotal)) ?? "0", System.Globalization.CultureInfo.InvariantCulture),
                Enum.Parse<TillVerdict>(entity.GetString(nameof(CouponConflict.Verdict))),
                entity.GetString(nameof(CouponConflict.Reason)),
                entity.GetDateTimeOffset(nameof(CouponConflict.RecordedAt)) ?? DateTimeOffset.MinValue));
        }

        return [.. rows.OrderByDescending(row => row.SaleAt).ThenBy(row => row.SaleId, StringComparer.Ordinal).Take(limit)];
    }
}
