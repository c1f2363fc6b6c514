using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using OmniChannel.Core;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Remarketing;

namespace OmniChannel.Azure.Tables;

/// <summary>
/// The coupon ledger in Azure Tables: a row per code (partition = the code, for a point read and an ETag-guarded
/// redemption) and, in the customer's partition (<c>customer:{id}</c>), an index row per issuing instance and one cap
/// row with the times of the customer's coupons. Issuing commits the cap row (ETag-guarded) and the index row in one
/// entity-group transaction, so the cap check and the issue are atomic and an instance issues once; the code row is
/// written after it (added, never replaced), and a retry of the instance writes it if a crash came between. The index
/// row is the truth that a coupon was issued; the code row is the truth for its state.
/// <para>
/// A rule's daily budget lives in another partition (<c>budget:{ruleId}</c>, one row per UTC day <c>yyyy-MM-dd</c> of
/// the coupon's issue time, holding the slots used), so it cannot join the customer's transaction: issuing takes a slot
/// first with an ETag-guarded increment (retried on 409/412), then commits the customer's transaction; when the cap
/// refuses (or the instance's coupon turns out to be issued already) the slot is given back with an ETag-guarded
/// decrement. A crash (or a failure whose outcome is unknown) between taking the slot and the customer's transaction
/// leaves a slot used without a coupon: the budget then under-issues by one, the safe side; it never over-issues.
/// The day is UTC, not the store's: one ledger row per rule and day, whatever store the coupons are for.
/// </para>
/// </summary>
public sealed class TableCouponLedger(TableServiceClient service) : ICouponLedger
{
    private const string CodeRow = "coupon";

    /// <summary>The cap row's key; escaped instance ids never hold a '!', so it cannot collide with an index row.</summary>
    private const string CapRow = "!cap";

    /// <summary>How often a cap check lost to a concurrent issue is tried again before the step fails (and is retried by the workflow).</summary>
    private const int ConflictRetries = 30;

    /// <summary>How often a budget slot lost to a concurrent issue of the rule is tried again (every issue of a rule on a day meets on one row).</summary>
    private const int BudgetRetries = 100;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private TableClient Table => service.GetTableClient(OmniChannelNames.Tables.Coupons);

    public async Task<Coupon?> GetAsync(string code, CancellationToken cancellationToken) =>
        (await ReadCodeRowAsync(code, cancellationToken))?.Coupon;

    public async Task<Coupon?> FindByInstanceAsync(string customerId, string instanceId, CancellationToken cancellationToken)
    {
        var response = await Table.GetEntityIfExistsAsync<TableEntity>(CustomerPartition(customerId), TableKeys.Escape(instanceId), cancellationToken: cancellationToken);
        return response.HasValue ? Read(response.Value!) : null;
    }

    public async Task<IssueResult> IssueAsync(Coupon coupon, FrequencyCap? cap, int? dailyBudget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(coupon);
        var partition = CustomerPartition(coupon.CustomerId);
        var indexRow = TableKeys.Escape(coupon.InstanceId);
        var slotTaken = false;
        for (var attempt = 1; ; attempt++)
        {
            var index = await Table.GetEntityIfExistsAsync<TableEntity>(partition, indexRow, cancellationToken: cancellationToken);
            if (index.HasValue)
            {
                await GiveBackSlotAsync(slotTaken, coupon, cancellationToken);
                var first = Read(index.Value!);
                await AddCodeRowAsync(first, cancellationToken);
                return new IssueResult(IssueOutcome.AlreadyIssued, first);
            }

            var capRow = await Table.GetEntityIfExistsAsync<TableEntity>(partition, CapRow, cancellationToken: cancellationToken);
            var issuedAt = capRow.HasValue ? ReadTimes(capRow.Value!) : [];
            if (cap is not null && issuedAt.Count(time => time > coupon.IssuedAt.AddDays(-cap.PerDays)) >= cap.Coupons)
            {
                await GiveBackSlotAsync(slotTaken, coupon, cancellationToken);
                return new IssueResult(IssueOutcome.CapReached, null);
            }

            // After the cap's read, so a customer the cap refuses does not touch the rule's budget row; taken once,
            // kept across the retries of the customer's transaction below.
            if (dailyBudget is { } budget && !slotTaken)
            {
                if (!await TakeSlotAsync(coupon.RuleId, DayOf(coupon), budget, cancellationToken))
                {
                    return new IssueResult(IssueOutcome.BudgetSpent, null);
                }

                slotTaken = true;
            }

            // Kept for the longest window a cap may have: older issues can no longer count against any rule.
            var times = issuedAt.Where(time => time > coupon.IssuedAt - RemarketingService.CapHorizon).Append(coupon.IssuedAt).Order().ToList();
            var capEntity = new TableEntity(partition, CapRow) { ["IssuedAt"] = JsonSerializer.Serialize(times, Json) };
            TableTransactionAction[] actions =
            [
                capRow.HasValue
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, capEntity, capRow.Value!.ETag)
                    : new TableTransactionAction(TableTransactionActionType.Add, capEntity),
                new TableTransactionAction(TableTransactionActionType.Add, Entity(partition, indexRow, coupon)),
            ];
            try
            {
                await Table.SubmitTransactionAsync(actions, cancellationToken);
            }
            catch (TableTransactionFailedException exception) when (exception.Status is 409 or 412 && attempt < ConflictRetries)
            {
                // Another issue for this customer (or this instance) committed between the reads and the transaction.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * Math.Min(attempt, 10))), cancellationToken);
                continue;
            }

            await AddCodeRowAsync(coupon, cancellationToken);
            return new IssueResult(IssueOutcome.Issued, coupon);
        }
    }

    public async Task<int> DailyBudgetUsedAsync(string ruleId, DateOnly day, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(BudgetPartition(ruleId), BudgetRow(day), cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.GetInt32("Used") ?? 0 : 0;
    }

    /// <summary>Takes one of the rule's slots for the day if fewer than <paramref name="budget"/> are used (ETag-guarded; retried when a concurrent issue wrote first).</summary>
    private async Task<bool> TakeSlotAsync(string ruleId, DateOnly day, int budget, CancellationToken cancellationToken)
    {
        var partition = BudgetPartition(ruleId);
        var row = BudgetRow(day);
        for (var attempt = 1; ; attempt++)
        {
            var current = await Table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken);
            var used = current.HasValue ? current.Value!.GetInt32("Used") ?? 0 : 0;
            if (used >= budget)
            {
                return false;
            }

            var next = new TableEntity(partition, row) { ["Used"] = used + 1 };
            try
            {
                if (current.HasValue)
                {
                    await Table.UpdateEntityAsync(next, current.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    await Table.AddEntityAsync(next, cancellationToken);
                }

                return true;
            }
            catch (RequestFailedException exception) when (exception.Status is 409 or 412 && attempt < BudgetRetries)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 10 * Math.Min(attempt, 10))), cancellationToken);
            }
        }
    }

    /// <summary>Gives back the slot this issue took (when it took one), ETag-guarded and retried like the take.</summary>
    private async Task GiveBackSlotAsync(bool slotTaken, Coupon coupon, CancellationToken cancellationToken)
    {
        if (!slotTaken)
        {
            return;
        }

        var partition = BudgetPartition(coupon.RuleId);
        var row = BudgetRow(DayOf(coupon));
        for (var attempt = 1; ; attempt++)
        {
            var current = await Table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken);
            var used = current.HasValue ? current.Value!.GetInt32("Used") ?? 0 : 0;
            if (used <= 0)
            {
                return;
            }

            try
            {
                await Table.UpdateEntityAsync(new TableEntity(partition, row) { ["Used"] = used - 1 }, current.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                return;
            }
            catch (RequestFailedException exception) when (exception.Status == 412 && attempt < BudgetRetries)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 10 * Math.Min(attempt, 10))), cancellationToken);
            }
        }
    }

    private static DateOnly DayOf(Coupon coupon) => DateOnly.FromDateTime(coupon.IssuedAt.UtcDateTime);

    private static string BudgetPartition(string ruleId) => "budget:" + TableKeys.Escape(ruleId);

    private static string BudgetRow(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The code row of an issued coupon, unless it is there already (then it may be redeemed: it stays as it is).</summary>
    private async Task AddCodeRowAsync(Coupon coupon, CancellationToken cancellationToken)
    {
        try
        {
            await Table.AddEntityAsync(Entity(TableKeys.Escape(coupon.Code), CodeRow, coupon), cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status == 409)
        {
            // Written by the first attempt: its state is the truth.
        }
    }

    private static List<DateTimeOffset> ReadTimes(TableEntity entity) =>
        JsonSerializer.Deserialize<List<DateTimeOffset>>(entity.GetString("IssuedAt") ?? "[]", Json) ?? [];

    public async Task<IReadOnlyList<Coupon>> ForCustomerAsync(string customerId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var partition = CustomerPartition(customerId);
        var coupons = new List<Coupon>();
        await foreach (var entity in Table.QueryAsync<TableEntity>(entity => entity.PartitionKey == partition && entity.RowKey != CapRow, cancellationToken: cancellationToken))
        {
            var coupon = Read(entity);
            if (coupon.IssuedAt >= since)
            {
                coupons.Add(coupon);
            }
        }

        return coupons.OrderByDescending(coupon => coupon.IssuedAt).ToList();
    }

    public async Task<(RedeemOutcome Outcome, Coupon? Coupon)> RedeemAsync(string code, string saleId, string storeId, decimal saleTotal, DateTimeOffset at, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var row = await ReadCodeRowAsync(code, cancellationToken);
            if (row is not { } current)
            {
                return (RedeemOutcome.Unknown, null);
            }

            if (CouponRedemption.Judge(current.Coupon, saleId, at) is { } outcome)
            {
                return (outcome, current.Coupon);
            }

            var redeemed = CouponRedemption.Redeemed(current.Coupon, saleId, storeId, saleTotal, at);
            try
            {
                await ReplaceAsync(redeemed, current.ETag, cancellationToken);
                return (RedeemOutcome.Redeemed, redeemed);
            }
            catch (RequestFailedException exception) when (exception.Status == 412 && attempt < 5)
            {
                // Another sale redeemed it, or the workflow marked it expired, between our read and write: judge again.
            }
        }
    }

    public async Task ExpireAsync(string code, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            if (await ReadCodeRowAsync(code, cancellationToken) is not { } current || current.Coupon.State != CouponState.Issued)
            {
                return;
            }

            var expired = current.Coupon with { State = CouponState.Expired };
            try
            {
                await ReplaceAsync(expired, current.ETag, cancellationToken);
                return;
            }
            catch (RequestFailedException exception) when (exception.Status == 412)
            {
                // Redeemed at the last moment: read again; a redeemed coupon stays redeemed.
            }
        }
    }

    public async Task<int> EraseCustomerAsync(string customerId, CancellationToken cancellationToken)
    {
        var partition = CustomerPartition(customerId);
        var erased = 0;
        await foreach (var entity in Table.QueryAsync<TableEntity>(entity => entity.PartitionKey == partition, cancellationToken: cancellationToken))
        {
            if (entity.RowKey == CapRow)
            {
                await Table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, ETag.All, cancellationToken);
                continue;
            }

            // The code row first: the index row is what leads a retry to it.
            await Table.DeleteEntityAsync(TableKeys.Escape(Read(entity).Code), CodeRow, ETag.All, cancellationToken);
            await Table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, ETag.All, cancellationToken);
            erased++;
        }

        return erased;
    }

    /// <summary>A state change: the code row if unchanged since read (412 otherwise), then the customer's index row.</summary>
    private async Task ReplaceAsync(Coupon coupon, ETag etag, CancellationToken cancellationToken)
    {
        await Table.UpdateEntityAsync(Entity(TableKeys.Escape(coupon.Code), CodeRow, coupon), etag, TableUpdateMode.Replace, cancellationToken);
        await Table.UpsertEntityAsync(Entity(CustomerPartition(coupon.CustomerId), TableKeys.Escape(coupon.InstanceId), coupon), TableUpdateMode.Replace, cancellationToken);
    }

    private async Task<(Coupon Coupon, ETag ETag)?> ReadCodeRowAsync(string code, CancellationToken cancellationToken)
    {
        var response = await Table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(code), CodeRow, cancellationToken: cancellationToken);
        return response.HasValue ? (Read(response.Value!), response.Value!.ETag) : null;
    }

    private static string CustomerPartition(string customerId) => "customer:" + TableKeys.Escape(customerId);

    private static TableEntity Entity(string partition, string row, Coupon coupon) => new(partition, row)
    {
        ["Coupon"] = JsonSerializer.Serialize(coupon, Json),
        ["State"] = coupon.State.ToString(),
        ["IssuedAt"] = coupon.IssuedAt,
    };

    private static Coupon Read(TableEntity entity) => JsonSerializer.Deserialize<Coupon>(entity.GetString("Coupon")!, Json)!;
}
