using Azure.Data.Tables;
using OmniChannel.Core;
using OmniChannel.Core.Notifications;
using OmniChannel.Core.Ports;

namespace OmniChannel.Azure.Tables;

/// <summary>
/// The local host's customer-engagement simulator (used when <c>OmniChannel:Handoffs:CustomerEngagement</c> is not
/// configured; the Functions app always hands messages to the platform, <see cref="Webhooks.WebhookNotificationSender"/>):
/// it records every message that would have been sent (audience, purpose, recipient, channel, text) in the
/// <c>notifications</c> table, partitioned by order, where <c>/api/local/orders/{id}/messages</c> shows them. Upsert by
/// id: a retried activity records a message once. Erasure deletes every message of the person's orders (they name the customer and say
/// what they bought).
/// </summary>
public sealed class TableNotificationRecorder(TableServiceClient service) : INotificationSender, IOrderRecords
{
    public string Name => OmniChannelNames.Tables.Notifications;

    public async Task<OrderRecordsErased> EraseAsync(string orderId, CancellationToken cancellationToken)
    {
        var deleted = 0;
        await foreach (var entity in Table.QueryAsync<TableEntity>(entity => entity.PartitionKey == orderId, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await Table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, global::Azure.ETag.All, cancellationToken);
            deleted++;
        }

        return new OrderRecordsErased(deleted, 0);
    }

    private TableClient Table => service.GetTableClient(OmniChannelNames.Tables.Notifications);

    public async Task SendAsync(Notification notification, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(notification.OrderId ?? "-", TableKeys.Escape(notification.Id))
        {
            ["Audience"] = notification.Audience.ToString(),
            ["RecipientId"] = notification.RecipientId,
            ["Channel"] = notification.Channel,
            ["Text"] = notification.Text,
            ["Purpose"] = notification.Purpose,
            ["At"] = notification.At,
        };
        await Table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>The messages of one order, oldest first.</summary>
    public async Task<IReadOnlyList<Notification>> ListAsync(string orderId, CancellationToken cancellationToken)
    {
        var list = new List<Notification>();
        await foreach (var entity in Table.QueryAsync<TableEntity>(entity => entity.PartitionKey == orderId, cancellationToken: cancellationToken))
        {
            list.Add(new Notification(
                TableKeys.Unescape(entity.RowKey),
                Enum.Parse<Audience>(entity.GetString("Audience")),
                entity.GetString("RecipientId"),
                entity.GetString("Channel"),
                entity.GetString("Text"),
                orderId,
                entity.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue,
                entity.GetString("Purpose")));
        }

        return list.OrderBy(notification => notification.At).ToList();
    }
}
