using System.Text.Json;
using Azure.Data.Tables;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Stores;

namespace OmniChannel.Azure.Tables;

/// <summary>The store directory in Azure Tables: one partition, a row per store (its opening hours as JSON; none: not known).</summary>
public sealed class TableStoreDirectory(TableServiceClient service) : IStoreDirectory
{
    private const string Partition = "store";
    private const int TransactionLimit = 100;

    private TableClient Table => service.GetTableClient(Core.OmniChannelNames.Tables.Stores);

    public async Task<IReadOnlyList<Store>> ListAsync(CancellationToken cancellationToken)
    {
        var stores = new List<Store>();
        await foreach (var entity in Table.QueryAsync<TableEntity>(entity => entity.PartitionKey == Partition, cancellationToken: cancellationToken))
        {
            stores.Add(ToStore(entity));
        }

        return stores.OrderBy(store => store.Id, StringComparer.Ordinal).ToList();
    }

    public async Task<Store?> GetAsync(string storeId, CancellationToken cancellationToken)
    {
        var response = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, storeId, cancellationToken: cancellationToken);
        return response.HasValue ? ToStore(response.Value!) : null;
    }

    public async Task UpsertAsync(IReadOnlyCollection<Store> stores, CancellationToken cancellationToken)
    {
        foreach (var chunk in stores.Chunk(TransactionLimit))
        {
            var actions = chunk.Select(store => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(store)));
            await Table.SubmitTransactionAsync(actions, cancellationToken);
        }
    }

    private static TableEntity ToEntity(Store store)
    {
        var entity = new TableEntity(Partition, store.Id)
        {
            ["Name"] = store.Name,
            ["City"] = store.City,
            ["Region"] = store.Region,
            ["Latitude"] = store.Latitude,
            ["Longitude"] = store.Longitude,
            ["TimeZone"] = store.TimeZone,
            ["BopisEnabled"] = store.BopisEnabled,
        };
        if (store.OpeningHours is { } hours)
        {
            entity["OpeningHours"] = JsonSerializer.Serialize(hours, JsonSerializerOptions.Web);
        }

        return entity;
    }

    private static Store ToStore(TableEntity entity) => new(
        entity.RowKey,
        entity.GetString("Name") ?? entity.RowKey,
        entity.GetString("City") ?? string.Empty,
        entity.GetString("Region") ?? string.Empty,
        entity.GetDouble("Latitude") ?? 0,
        entity.GetDouble("Longitude") ?? 0,
        entity.GetString("TimeZone") ?? "UTC",
        entity.GetBoolean("BopisEnabled") ?? false)
    {
        OpeningHours = entity.GetString("OpeningHours") is { } hours ? JsonSerializer.Deserialize<OpeningHours>(hours, JsonSerializerOptions.Web) : null,
    };
}
