using Azure;
using Azure.Data.Tables;
using OmniChannel.Core;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Prices;

namespace OmniChannel.Azure.Tables;

/// <summary>The price subscriber registry in Azure Tables: one partition, a row per subscriber, no secrets.</summary>
public sealed class TableSubscriberRegistry(TableServiceClient service) : ISubscriberRegistry
{
    private const string Partition = "subscriber";
    private const int TransactionLimit = 100;

    private TableClient Table => service.GetTableClient(OmniChannelNames.Tables.PriceSubscribers);

    public async Task<IReadOnlyList<PriceSubscriber>> ListAsync(CancellationToken cancellationToken)
    {
        var subscribers = new List<PriceSubscriber>();
        await foreach (var entity in Table.QueryAsync<TableEntity>(entity => entity.PartitionKey == Partition, cancellationToken: cancellationToken))
        {
            subscribers.Add(ToSubscriber(entity));
        }

        return subscribers.OrderBy(subscriber => subscriber.Id, StringComparer.Ordinal).ToList();
    }

    public async Task<PriceSubscriber?> GetAsync(string subscriberId, CancellationToken cancellationToken)
    {
        var response = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, TableKeys.Escape(subscriberId), cancellationToken: cancellationToken);
        return response.HasValue ? ToSubscriber(response.Value!) : null;
    }

    public async Task<IReadOnlyDictionary<string, PriceSubscriber>> GetManyAsync(IReadOnlyCollection<string> subscriberIds, CancellationToken cancellationToken) =>
        (await TableKeys.ReadRowsAsync(Table, Partition, subscriberIds, cancellationToken)).Select(ToSubscriber).ToDictionary(subscriber => subscriber.Id, StringComparer.Ordinal);

    public async Task UpsertAsync(IReadOnlyCollection<PriceSubscriber> subscribers, CancellationToken cancellationToken)
    {
        foreach (var chunk in subscribers.Chunk(TransactionLimit))
        {
            await Table.SubmitTransactionAsync(chunk.Select(subscriber => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(subscriber))), cancellationToken);
        }
    }

    public async Task<bool> DeleteAsync(string subscriberId, CancellationToken cancellationToken)
    {
        var response = await Table.DeleteEntityAsync(Partition, TableKeys.Escape(subscriberId), ETag.All, cancellationToken);
        return response.Status != 404;
    }

    private static TableEntity ToEntity(PriceSubscriber subscriber) => new(Partition, TableKeys.Escape(subscriber.Id))
    {
        ["Kind"] = subscriber.Kind.ToString().ToLowerInvariant(),
        ["Scope"] = subscriber.Scope.ToString(),
        ["Endpoint"] = subscriber.Endpoint.ToString(),
        ["Enabled"] = subscriber.Enabled,
        ["CreatedAt"] = subscriber.CreatedAt,
    };

    private static PriceSubscriber ToSubscriber(TableEntity entity) => new(
        TableKeys.Unescape(entity.RowKey),
        Enum.Parse<SubscriberKind>(entity.GetString("Kind") ?? nameof(SubscriberKind.Pos), ignoreCase: true),
        PriceScope.Parse(entity.GetString("Scope") ?? "all"),
        new Uri(entity.GetString("Endpoint")!),
        entity.GetBoolean("Enabled") ?? true,
        entity.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.UnixEpoch);
}

/// <summary>
/// Subscribers' signing secrets in their own table, so listing the registry can never carry one. The local host's
/// store; in Azure the same port is meant for Key Vault (see the README).
/// </summary>
public sealed class TableSubscriberSecretStore(TableServiceClient service) : ISubscriberSecretStore
{
    private const string Partition = "secret";

    private TableClient Table => service.GetTableClient(OmniChannelNames.Tables.SubscriberSecrets);

    public async Task<string?> GetAsync(string subscriberId, CancellationToken cancellationToken)
    {
        var response = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, TableKeys.Escape(subscriberId), cancellationToken: cancellationToken);
        return response.HasValue ? response.Value!.GetString("Secret") : null;
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> GetSigningSecretsAsync(IReadOnlyCollection<string> subscriberIds, CancellationToken cancellationToken) =>
        (await TableKeys.ReadRowsAsync(Table, Partition, subscriberIds, cancellationToken))
            .Where(entity => entity.GetString("Secret") is not null)
            .ToDictionary(entity => TableKeys.Unescape(entity.RowKey), entity => (IReadOnlyList<string>)[entity.GetString("Secret")!], StringComparer.Ordinal);

    public Task SetAsync(string subscriberId, string secret, CancellationToken cancellationToken) =>
        Table.UpsertEntityAsync(new TableEntity(Partition, TableKeys.Escape(subscriberId)) { ["Secret"] = secret }, TableUpdateMode.Replace, cancellationToken);

    public Task DeleteAsync(string subscriberId, CancellationToken cancellationToken) =>
        Table.DeleteEntityAsync(Partition, TableKeys.Escape(subscriberId), ETag.All, cancellationToken);
}

/// <summary>The delivery ledger: a partition per price change, a row per subscriber, written in 100-row transactions.</summary>
public sealed class TableDeliveryLedger(TableServiceClient service) : IDeliveryLedger
{
    private const int TransactionLimit = 100;

    private TableClient Table => service.GetTableClient(OmniChannelNames.Tables.PriceDeliveries);

    public async Task RecordAsync(IReadOnlyList<SubscriberDelivery> deliveries, CancellationToken cancellationToken)
    {
        foreach (var change in deliveries.GroupBy(delivery => delivery.ChangeId))
        {
            foreach (var chunk in change.DistinctBy(delivery => delivery.SubscriberId).Chunk(TransactionLimit))
            {
                await Table.SubmitTransactionAsync(chunk.Select(delivery => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(delivery))), cancellationToken);
            }
        }
    }

    public async Task<IReadOnlyList<SubscriberDelivery>> ListAsync(string changeId, CancellationToken cancellationToken)
    {
        var partition = TableKeys.Escape(changeId);
        var rows = new List<SubscriberDelivery>();
        await foreach (var entity in Table.QueryAsync<TableEntity>(entity => entity.PartitionKey == partition, cancellationToken: cancellationToken))
        {
            rows.Add(ToDelivery(entity));
        }

        return rows;
    }

    public async Task<SubscriberDelivery?> GetAsync(string changeId, string subscriberId, CancellationToken cancellationToken)
    {
        var response = await Table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(changeId), TableKeys.Escape(subscriberId), cancellationToken: cancellationToken);
        return response.HasValue ? ToDelivery(response.Value!) : null;
    }

    private static TableEntity ToEntity(SubscriberDelivery delivery) => new(TableKeys.Escape(delivery.ChangeId), TableKeys.Escape(delivery.SubscriberId))
    {
        ["State"] = delivery.State.ToString(),
        ["Attempts"] = delivery.Attempts,
        ["LastStatusCode"] = delivery.LastStatusCode,
        ["LastError"] = delivery.LastError,
        ["Permanent"] = delivery.Permanent,
        ["UpdatedAt"] = delivery.UpdatedAt,
        ["DeliveredAt"] = delivery.DeliveredAt,
    };

    private static SubscriberDelivery ToDelivery(TableEntity entity) => new(
        TableKeys.Unescape(entity.PartitionKey),
        TableKeys.Unescape(entity.RowKey),
        Enum.Parse<DeliveryState>(entity.GetString("State") ?? nameof(DeliveryState.Pending)),
        entity.GetInt32("Attempts") ?? 0,
        entity.GetInt32("LastStatusCode"),
        entity.GetString("LastError"),
        entity.GetBoolean("Permanent") ?? false,
        entity.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.UnixEpoch,
        entity.GetDateTimeOffset("DeliveredAt"));
}
