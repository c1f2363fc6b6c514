using Azure.Data.Tables;
using OmniChannel.Core;
using OmniChannel.Core.Ports;

namespace OmniChannel.Azure.Tables;

/// <summary>
/// The local host's payment-service simulator (used when <c>OmniChannel:Handoffs:Payments</c> is not configured; the
/// Functions app always hands refunds to the payment service, <see cref="Webhooks.WebhookPaymentGateway"/>): it
/// records each refund that would have been requested in the <c>refunds</c> table (one row per refund id, so a retried
/// refund is recorded once) and settles it at once. A row holds the order, its payment reference, the amount, the
/// reason and the time, nothing about the customer: erasure keeps it for accounting (the order itself is anonymised).
/// </summary>
public sealed class TableRefundRecorder(TableServiceClient service, TimeProvider clock) : IPaymentGateway, IOrderRecords
{
    public string Name => OmniChannelNames.Tables.Refunds;

    public async Task<OrderRecordsErased> EraseAsync(string orderId, CancellationToken cancellationToken) =>
        new(0, (await ListAsync(orderId, cancellationToken)).Count);

    private TableClient Table => service.GetTableClient(OmniChannelNames.Tables.Refunds);

    public async Task<RefundStatus> RefundAsync(string refundId, string orderId, string? paymentReference, decimal amount, string reason, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(orderId, TableKeys.Escape(refundId))
        {
            ["PaymentReference"] = paymentReference,
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

        return RefundStatus.Settled;
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
