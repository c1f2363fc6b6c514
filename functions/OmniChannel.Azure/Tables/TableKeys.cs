using Azure.Data.Tables;

namespace OmniChannel.Azure.Tables;

/// <summary>Table keys may not contain '/', '\', '#' or '?'; ids from channels might.</summary>
internal static class TableKeys
{
    public static string Escape(string value) => Uri.EscapeDataString(value);

    public static string Unescape(string key) => Uri.UnescapeDataString(key);

    /// <summary>
    /// The rows of <paramref name="ids"/> in one partition, with one range query (first to last key) instead of a point
    /// read each: a fan-out batch is a run of neighbouring ids, so the range holds few rows besides the wanted ones.
    /// </summary>
    public static async Task<List<TableEntity>> ReadRowsAsync(TableClient table, string partition, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.Select(Escape).ToHashSet(StringComparer.Ordinal);
        var rows = new List<TableEntity>(wanted.Count);
        if (wanted.Count == 0)
        {
            return rows;
        }

        var first = wanted.Min(StringComparer.Ordinal)!;
        var last = wanted.Max(StringComparer.Ordinal)!;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {first} and RowKey le {last}");
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (wanted.Contains(entity.RowKey))
            {
                rows.Add(entity);
            }
        }

        return rows;
    }
}
