using System.Globalization;
using Azure.Data.Tables;
using OmniChannel.Core;
using OmniChannel.Core.Insights;
using OmniChannel.Core.Ports;

namespace OmniChannel.Azure.Tables;

/// <summary>
/// The daily KPI counters in Azure Tables: partition = the UTC day (<c>yyyy-MM-dd</c>, so a period is one partition
/// range query), row = the metric (<c>name</c> or <c>name|{escaped subject}</c>), holding <c>Count</c> and, for a
/// timed metric, <c>Histogram</c> (the bucket counts as text). Many writers add to one row at once (ingest pumps,
/// activities), so an increment is a read and an ETag-guarded write, repeated with jittered back-off when it loses
/// (<see cref="TableRowMerge"/>).
/// </summary>
public sealed class TableInsightsStore(TableServiceClient service) : IInsightsRecorder, IInsightsReader
{
    private const string DayFormat = "yyyy-MM-dd";
    private const char SubjectSeparator = '|';

    private TableClient Table => service.GetTableClient(OmniChannelNames.Tables.Insights);

    public async Task RecordAsync(IReadOnlyList<InsightSample> samples, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(samples);

        // One write per row however many samples it gets (ingest hands a batch's channels at once).
        var increments = samples
            .GroupBy(sample => (sample.Day, sample.Metric))
            .Select(row => IncrementAsync(row.Key.Day, row.Key.Metric, row.Sum(sample => sample.Count), DurationHistogram.Of(row), cancellationToken));
        await Task.WhenAll(increments);
    }

    public async Task<IReadOnlyList<DailyCounter>> ReadAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {Partition(from)} and PartitionKey le {Partition(to)}");
        var counters = new List<DailyCounter>();
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            counters.Add(new DailyCounter(
                DateOnly.ParseExact(entity.PartitionKey, DayFormat, CultureInfo.InvariantCulture),
                Metric(entity.RowKey),
                entity.GetInt64("Count") ?? 0,
                entity.GetString("Histogram") is { } histogram ? DurationHistogram.Parse(histogram) : null));
        }

        return counters;
    }

    private Task IncrementAsync(DateOnly day, InsightMetric metric, long count, DurationHistogram? durations, CancellationToken cancellationToken)
    {
        var partition = Partition(day);
        var row = Row(metric);
        return TableRowMerge.MergeAsync(Table, partition, row, stored =>
        {
            if (stored is null)
            {
                return Entity(partition, row, count, durations);
            }

            DurationHistogram? histogram = null;
            if (durations is not null || stored.GetString("Histogram") is not null)
            {
                histogram = DurationHistogram.Parse(stored.GetString("Histogram"));
                if (durations is not null)
                {
                    histogram.Merge(durations);
                }
            }

            return Entity(partition, row, (stored.GetInt64("Count") ?? 0) + count, histogram);
        }, cancellationToken);
    }

    private static TableEntity Entity(string partition, string row, long count, DurationHistogram? histogram)
    {
        var entity = new TableEntity(partition, row) { ["Count"] = count };
        if (histogram is not null)
        {
            entity["Histogram"] = histogram.ToText();
        }

        return entity;
    }

    private static string Partition(DateOnly day) => day.ToString(DayFormat, CultureInfo.InvariantCulture);

    /// <summary>The subject is escaped (table keys cannot hold '/', '#', '?'), and with it any '|', so the first '|' separates.</summary>
    private static string Row(InsightMetric metric) =>
        metric.Subject is null ? metric.Name : metric.Name + SubjectSeparator + TableKeys.Escape(metric.Subject);

    private static InsightMetric Metric(string row) =>
        row.IndexOf(SubjectSeparator, StringComparison.Ordinal) is var at and >= 0
            ? new InsightMetric(row[..at], TableKeys.Unescape(row[(at + 1)..]))
            : new InsightMetric(row);
}
