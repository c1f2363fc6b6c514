using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using OmniChannel.Core;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Remarketing;

namespace OmniChannel.Azure.Tables;

/// <summary>
/// The coupon ledger in Azure Tables: a row per code (partition = the code, for a point read and an ETag-guarded
/// redemption) and an index row per customer (partition <c>customer:{id}</c>, row = the issuing instance) for the
/// frequency cap and for idempotent issuing. Both rows hold the coupon; the code row is the truth for its state.
/// </summary>
public sealed class TableCouponLedger(TableServiceClient service) : ICouponLedger
{
    private const string CodeRow = "coupon";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private TableClient Table => service.GetTableClient(OmniChannelNames.Tables.Coupons);

    public async Task<Coupon?> GetAsync(string code, CancellationToken cancellationToken) =>
        (await ReadCodeRowAsync(code, cancellationToken))?.Coupon;

    public async Task<Coupon?> FindByInstanceAsync(string customerId, string instanceId, CancellationToken cancellationToken)
    {
        var response = await Table.GetEntityIfExistsAsync<TableEntity>(CustomerPartition(customerId), TableKeys.Escape(instanceId), cancellationToken: cancellationToken);
        return response.HasValue ? Read(response.Value!) : null;
    }

    public async Task IssueAsync(Coupon coupon, CancellationToken cancellationToken)
    {
        // The code row first: an index row never points at a code that does not exist.
        await Table.AddEntityAsync(Entity(TableKeys.Escape(coupon.Code), CodeRow, coupon), cancellationToken);
        await Table.UpsertEntityAsync(Entity(CustomerPartition(coupon.CustomerId), TableKeys.Escape(coupon.InstanceId), coupon), TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<IReadOnlyList<Coupon>> ForCustomerAsync(string customerId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var partition = CustomerPartition(customerId);
        var coupons = new List<Coupon>();
        await foreach (var entity in Table.QueryAsync<TableEntity>(entity => entity.PartitionKey == partition, cancellationToken: cancellationToken))
        {
            var coupon = Read(entity);
            if (coupon.IssuedAt >= since)
            {
                coupons.Add(coupon);
            }
        }

        return coupons.OrderByDescending(coupon => coupon.IssuedAt).ToList();
    }

    public async Task<(RedeemOutcome Outcome, Coupon? Coupon)> RedeemAsync(string code, string storeId, decimal saleTotal, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var row = await ReadCodeRowAsync(code, cancellationToken);
        if (row is not { } current)
        {
            return (RedeemOutcome.Unknown, null);
        }

        switch (current.Coupon.State)
        {
            case CouponState.Redeemed:
                return (RedeemOutcome.AlreadyRedeemed, current.Coupon);
            case CouponState.Expired:
                return (RedeemOutcome.Expired, current.Coupon);
        }

        if (at > current.Coupon.ExpiresAt)
        {
            return (RedeemOutcome.Expired, current.Coupon);
        }

        var redeemed = current.Coupon with { State = CouponState.Redeemed, RedeemedAt = at, RedeemedStoreId = storeId, SaleTotal = saleTotal };
        try
        {
            await ReplaceAsync(redeemed, current.ETag, cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status == 412)
        {
            // Another sale redeemed (or the workflow expired) it between our read and write: report what it is now.
            var now = (await ReadCodeRowAsync(code, cancellationToken))!.Value.Coupon;
            return (now.State == CouponState.Expired ? RedeemOutcome.Expired : RedeemOutcome.AlreadyRedeemed, now);
        }

        return (RedeemOutcome.Redeemed, redeemed);
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
