using System.Net;
using Azure;
using Azure.Data.Tables;
using Azure.Messaging.EventHubs.Producer;
using Microsoft.Azure.Cosmos;
using OmniChannel.Azure.Cosmos;
using OmniChannel.Core;
using OmniChannel.Core.Ports;

namespace OmniChannel.Azure;

internal sealed class CosmosProbe(CosmosDatabaseAccessor database) : IDependencyProbe
{
    public string Name => "cosmos";

    public Task ProbeAsync(CancellationToken cancellationToken) =>
        ProbeAnswer.WithStatusAsync(() => database.Container(CosmosContainers.Profiles).ReadContainerAsync(cancellationToken: cancellationToken));
}

internal sealed class TablesProbe(TableServiceClient service) : IDependencyProbe
{
    public string Name => "tables";

    public Task ProbeAsync(CancellationToken cancellationToken) => ProbeAnswer.WithStatusAsync(async () =>
    {
        await foreach (var _ in service.GetTableClient(OmniChannelNames.Tables.Stores).QueryAsync<TableEntity>(maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            break;
        }
    });
}

internal sealed class EventHubProbe(EventHubProducerClient producer) : IDependencyProbe
{
    public string Name => "eventhub";

    public Task ProbeAsync(CancellationToken cancellationToken) => producer.GetEventHubPropertiesAsync(cancellationToken);
}

/// <summary>
/// Health classifies a probe's failure without knowing the Azure SDKs (HealthApi.Classify): a service that answered
/// with an error status is rethrown as an <see cref="HttpRequestException"/> carrying that status ("HTTP 503").
/// </summary>
internal static class ProbeAnswer
{
    public static async Task WithStatusAsync(Func<Task> probe)
    {
        try
        {
            await probe();
        }
        catch (CosmosException exception)
        {
            throw new HttpRequestException("The service answered with an error status.", exception, exception.StatusCode);
        }
        catch (RequestFailedException exception) when (exception.Status > 0)
        {
            throw new HttpRequestException("The service answered with an error status.", exception, (HttpStatusCode)exception.Status);
        }
    }
}
