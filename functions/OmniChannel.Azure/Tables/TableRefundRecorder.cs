using Azure.Data.Tables;
using OmniChannel.Core;
using OmniChannel.Core.Ports;

namespace OmniChannel.Azure.Tables;

/// <summary>
/// The payments adapter of this increment: it records each refund in the <c>refunds</c> table (one row per refund
/// id, so a retried refund is recorded once) instead of calling a payment provider (see the BOPIS issue note).
/// A row holds the order, the amount, the reason and the time, nothing about the customer: erasure keeps it for
/// accounting (the order itself is anonymised).
/// </summary>
public sealed class TableRefundRecorder(TableServiceClient service, TimeProvider clock) : IPaymentGateway, IOrderRecords
{
    public string Name => OmniChannelNames.Tables.Refunds;

    public async Task<OrderRecordsErased> EraseAsync(string orderId, CancellationToken cancellationToken) =>
        new(0, (await ListAsync(orderId, cancellationToken)).Count);

    private TableClient Table => service.GetTableClient(OmniChannelNames.Tables.Refunds);

    public async Task RefundAsync(string refundId, string orderId, decimal amount, string reason, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(orderId, TableKeys.Escape(refundId))
        {
            ["Amount"] = amount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Reason"] = reason,
            ["At"] = clock.GetUtcNow(),
        };
        try
        {
            await Table.AddEntityAsync(entity, cancellationToken);
        }
        catch (global::Azure.RequestFailedException exception) when (exception.Status == 409)
        {
            // Refunded before: a provider's idempotency key would answer the same.
        }
    }

    /// <summary>The refunds of one order.</summary>
    public async Task<IReadOnlyList<(string RefundId, decimal Amount, string Reason)>> ListAsync(string orderId, CancellationToken cancellationToken)
    {
        var list = new List<(string, decimal, string)>();
        await foreach (var entity in Table.QueryAsync<TableEntity>(entity => entity.PartitionKey == orderId, cancellationToken: cancellationToken))
        {
            list.Add((TableKeys.Unescape(entity.RowKey), decimal.Parse(entity.GetString("Amount"), System.Globalization.CultureInfo.InvariantCulture), entity.GetString("Reason")));
        }

        return list;
    }
}
