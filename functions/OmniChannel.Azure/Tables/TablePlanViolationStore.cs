using Azure.Data.Tables;
using OmniChannel.Core;
using OmniChannel.Core.Events;
using OmniChannel.Core.Ports;

namespace OmniChannel.Azure.Tables;

/// <summary>
/// The tracking plan's violations in Azure Tables: partition = the source, row = the event type and field (each
/// escaped, table keys cannot hold '/'), holding the values as properties. Ingest pumps merge into one row at once, so
/// a merge is a read and an ETag-guarded write (<see cref="TableRowMerge"/>). The table holds a row per distinct
/// source, type and field, so a list reads it whole.
/// </summary>
public sealed class TablePlanViolationStore(TableServiceClient service) : IPlanViolationStore
{
    private TableClient Table => service.GetTableClient(OmniChannelNames.Tables.PlanViolations);

    public async Task RecordAsync(IReadOnlyList<PlanViolation> violations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(violations);
        await Task.WhenAll(violations.Select(violation =>
        {
            var partition = TableKeys.Escape(violation.Source);
            var row = TableKeys.Escape(violation.Type) + "|" + TableKeys.Escape(violation.Field);
            return TableRowMerge.MergeAsync(Table, partition, row, stored =>
            {
                var merged = stored is null ? violation : Violation(stored).Merge(violation);
                return new TableEntity(partition, row)
                {
                    [nameof(PlanViolation.Source)] = merged.Source,
                    [nameof(PlanViolation.Type)] = merged.Type,
                    [nameof(PlanViolation.Field)] = merged.Field,
                    [nameof(PlanViolation.Kind)] = merged.Kind,
                    [nameof(PlanViolation.FirstSeen)] = merged.FirstSeen,
                    [nameof(PlanViolation.LastSeen)] = merged.LastSeen,
                    [nameof(PlanViolation.Count)] = merged.Count,
                    [nameof(PlanViolation.ExampleEventId)] = merged.ExampleEventId,
                };
            }, cancellationToken);
        }));
    }

    public async Task<IReadOnlyList<PlanViolation>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        var rows = new List<PlanViolation>();
        await foreach (var entity in Table.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            rows.Add(Violation(entity));
        }

        return [.. rows.OrderByDescending(row => row.LastSeen).ThenBy(row => row.Source, StringComparer.Ordinal).Take(limit)];
    }

    private static PlanViolation Violation(TableEntity entity) => new(
        entity.GetString(nameof(PlanViolation.Source)),
        entity.GetString(nameof(PlanViolation.Type)),
        entity.GetString(nameof(PlanViolation.Field)),
        entity.GetString(nameof(PlanViolation.Kind)) ?? PlanViolation.UnplannedProperty,
        entity.GetDateTimeOffset(nameof(PlanViolation.FirstSeen)) ?? DateTimeOffset.MinValue,
        entity.GetDateTimeOffset(nameof(PlanViolation.LastSeen)) ?? DateTimeOffset.MinValue,
        entity.GetInt64(nameof(PlanViolation.Count)) ?? 0,
        entity.GetString(nameof(PlanViolation.ExampleEventId)));
}
