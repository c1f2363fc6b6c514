using Azure.Data.Tables;
using Azure.Messaging.EventHubs.Producer;
using OmniChannel.Azure.Cosmos;
using OmniChannel.Core;
using OmniChannel.Core.Ports;

namespace OmniChannel.Azure;

internal sealed class CosmosProbe(CosmosDatabaseAccessor database) : IDependencyProbe
{
    public string Name => "cosmos";

    public Task ProbeAsync(CancellationToken cancellationToken) =>
        database.Container(CosmosContainers.Profiles).ReadContainerAsync(cancellationToken: cancellationToken);
}

internal sealed class TablesProbe(TableServiceClient service) : IDependencyProbe
{
    public string Name => "tables";

    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        await foreach (var _ in service.GetTableClient(OmniChannelNames.Tables.Stores).QueryAsync<TableEntity>(maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            break;
        }
    }
}

internal sealed class EventHubProbe(EventHubProducerClient producer) : IDependencyProbe
{
    public string Name => "eventhub";

    public Task ProbeAsync(CancellationToken cancellationToken) => producer.GetEventHubPropertiesAsync(cancellationToken);
}
