using System.Globalization;
using Azure;
using Azure.Data.Tables;
using OmniChannel.Core;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Remarketing;

namespace OmniChannel.Azure.Tables;

/// <summary>
/// Holdout attribution in Azure Tables: a partition per rule holding a row per customer (<c>c|{customer}</c>: their
/// current window, its sales and the keys of the sales counted) and a row per UTC day and group of window starts
/// (<c>t|{yyyy-MM-dd}|{group}</c>: customers, purchases, redeemers, the sum and the sum of squares of the customers'
/// window totals). A window or a sale changes both rows in one entity-group transaction guarded by their ETags, so a
/// repeated step or a redelivered sale never counts twice, and the totals always agree with the customers' rows.
/// </summary>
public sealed class TableAttributionStore(TableServiceClient service) : IAttributionStore
{
    private const string DayFormat = "yyyy-MM-dd";
    private const string CustomerPrefix = "c|";
    private const string TotalsPrefix = "t|";
    private const int ConflictRetries = 30;

    /// <summary>The most sale keys one window remembers; a customer with more sales in a window counts no further ones.</summary>
    public const int MaxSalesPerWindow = 400;

    private TableClient Table => service.GetTableClient(OmniChannelNames.Tables.Attribution);

    public async Task<bool> OpenAsync(AttributionWindow window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        var partition = TableKeys.Escape(window.RuleId);
        var row = CustomerPrefix + TableKeys.Escape(window.CustomerId);
        for (var attempt = 1; ; attempt++)
        {
            var current = await Table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken);

            // One window at a time: a signal inside the current window (or older than it) opens nothing.
            if (current.HasValue && window.Start < current.Value!.GetDateTimeOffset("End"))
            {
                return false;
            }

            var customer = new TableEntity(partition, row)
            {
                ["Group"] = window.Group.ToString(),
                ["Start"] = window.Start,
                ["End"] = window.End,
                ["Purchases"] = 0L,
                ["Sales"] = Text(0m),
                ["Redeemed"] = false,
                ["SaleKeys"] = string.Empty,
            };
            var totalsAction = await TotalsAsync(partition, Day(window.Start), window.Group, totals => totals with { Customers = totals.Customers + 1 }, cancellationToken);
            TableTransactionAction[] actions =
            [
                current.HasValue
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, customer, current.Value!.ETag)
                    : new TableTransactionAction(TableTransactionActionType.Add, customer),
                totalsAction,
            ];
            if (await CommittedAsync(actions, attempt, cancellationToken))
            {
                return true;
            }
        }
    }

    public async Task<AttributionWindow?> AttributeAsync(string ruleId, string customerId, SaleForAttribution sale, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sale);
        var partition = TableKeys.Escape(ruleId);
        var row = CustomerPrefix + TableKeys.Escape(customerId);
        for (var attempt = 1; ; attempt++)
        {
            var current = await Table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken);
            if (!current.HasValue)
            {
                return null;
            }

            var stored = current.Value!;
            var window = new AttributionWindow(ruleId, customerId, Enum.Parse<AttributionGroup>(stored.GetString("Group")), stored.GetDateTimeOffset("Start")!.Value, stored.GetDateTimeOffset("End")!.Value);
            var keys = (stored.GetString("SaleKeys") ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
            if (keys.Contains(sale.SaleKey, StringComparer.Ordinal))
            {
                return window;
            }

            var counts = sale.RedeemedRuleCoupon ? sale.At >= window.Start : window.Covers(sale.At);
            if (!counts || keys.Count >= MaxSalesPerWindow)
            {
                return null;
            }

            var before = Amount(stored.GetString("Sales"));
            var after = before + sale.Amount;
            var newRedeemer = sale.RedeemedRuleCoupon && stored.GetBoolean("Redeemed") != true;
            keys.Add(sale.SaleKey);
            var customer = new TableEntity(partition, row)
            {
                ["Group"] = stored.GetString("Group"),
                ["Start"] = window.Start,
                ["End"] = window.End,
                ["Purchases"] = (stored.GetInt64("Purchases") ?? 0) + 1,
                ["Sales"] = Text(after),
                ["Redeemed"] = stored.GetBoolean("Redeemed") == true || sale.RedeemedRuleCoupon,
                ["SaleKeys"] = string.Join('\n', keys),
            };

            // The customer's window total moves from 'before' to 'after': its square moves by the difference.
            var totalsAction = await TotalsAsync(partition, Day(window.Start), window.Group, totals => totals with
            {
                Purchases = totals.Purchases + 1,
                Redeemers = totals.Redeemers + (newRedeemer ? 1 : 0),
                Sales = totals.Sales + sale.Amount,
                SalesSquares = totals.SalesSquares + (after * after) - (before * before),
            }, cancellationToken);
            TableTransactionAction[] actions =
            [
                new TableTransactionAction(TableTransactionActionType.UpdateReplace, customer, stored.ETag),
                totalsAction,
            ];
            if (await CommittedAsync(actions, attempt, cancellationToken))
            {
                return window;
            }
        }
    }

    public async Task<IReadOnlyList<AttributionTotals>> ReadTotalsAsync(IReadOnlyCollection<string> ruleIds, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ruleIds);
        var totals = new List<AttributionTotals>();
        foreach (var ruleId in ruleIds)
        {
            var partition = TableKeys.Escape(ruleId);
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {TotalsPrefix + Text(from)} and RowKey lt {TotalsPrefix + Text(to) + "~"}");
            await foreach (var entity in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                totals.Add(Totals(ruleId, entity));
            }
        }

        return totals;
    }

    public async Task<int> EraseCustomerAsync(string customerId, CancellationToken cancellationToken)
    {
        // Rare (erasure only): a query across the rules' partitions for the customer's row key.
        var row = CustomerPrefix + TableKeys.Escape(customerId);
        var erased = 0;
        await foreach (var entity in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {row}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await Table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, ETag.All, cancellationToken);
            erased++;
        }

        return erased;
    }

    /// <summary>The transaction action that changes a day's group totals, from the row as stored now (added when there is none).</summary>
    private async Task<TableTransactionAction> TotalsAsync(
        string partition, DateOnly day, AttributionGroup group, Func<AttributionTotals, AttributionTotals> change, CancellationToken cancellationToken)
    {
        var row = TotalsPrefix + Text(day) + "|" + group;
        var current = await Table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken);
        var before = current.HasValue ? Totals(TableKeys.Unescape(partition), current.Value!) : new AttributionTotals(TableKeys.Unescape(partition), day, group, 0, 0, 0, 0m, 0m);
        var next = change(before);
        var entity = new TableEntity(partition, row)
        {
            ["Customers"] = next.Customers,
            ["Purchases"] = next.Purchases,
            ["Redeemers"] = next.Redeemers,
            ["Sales"] = Text(next.Sales),
            ["SalesSquares"] = Text(next.SalesSquares),
        };
        return current.HasValue
            ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, current.Value!.ETag)
            : new TableTransactionAction(TableTransactionActionType.Add, entity);
    }

    /// <summary>
    /// Commits both rows; false (after a jittered pause) when another writer changed or added one since it was read
    /// (a failed transaction is a <see cref="TableTransactionFailedException"/>, a <see cref="RequestFailedException"/>).
    /// </summary>
    private async Task<bool> CommittedAsync(IReadOnlyList<TableTransactionAction> actions, int attempt, CancellationToken cancellationToken)
    {
        try
        {
            await Table.SubmitTransactionAsync(actions, cancellationToken);
            return true;
        }
        catch (RequestFailedException exception) when (exception.Status is 409 or 412 && attempt < ConflictRetries)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * Math.Min(attempt, 10))), cancellationToken);
            return false;
        }
    }

    private static AttributionTotals Totals(string ruleId, TableEntity entity)
    {
        var parts = entity.RowKey.Split('|');
        return new AttributionTotals(
            ruleId,
            DateOnly.ParseExact(parts[1], DayFormat, CultureInfo.InvariantCulture),
            Enum.Parse<AttributionGroup>(parts[2]),
            entity.GetInt64("Customers") ?? 0,
            entity.GetInt64("Purchases") ?? 0,
            entity.GetInt64("Redeemers") ?? 0,
            Amount(entity.GetString("Sales")),
            Amount(entity.GetString("SalesSquares")));
    }

    private static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    private static string Text(DateOnly day) => day.ToString(DayFormat, CultureInfo.InvariantCulture);

    /// <summary>Amounts as invariant decimal text: exact, where a table's double would round.</summary>
    private static string Text(decimal amount) => amount.ToString(CultureInfo.InvariantCulture);

    private static decimal Amount(string? text) => string.IsNullOrEmpty(text) ? 0m : decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);
}
