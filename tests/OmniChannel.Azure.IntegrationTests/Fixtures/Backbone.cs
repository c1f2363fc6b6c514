using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Messaging.EventHubs;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OmniChannel.Api;
using OmniChannel.Azure.Cosmos;
using OmniChannel.Azure.EventHubs;
using OmniChannel.Core;
using OmniChannel.Core.Ingest;
using OmniChannel.Core.Ports;
using OmniChannel.LocalServers;
using OmniChannel.Simulation;

namespace OmniChannel.Azure.IntegrationTests.Fixtures;

/// <summary>
/// The backbone's real services over the real protocol servers, on a database of its own so tests do not see each
/// other's data. Events reach ingest as <see cref="EventData"/> batches, exactly as the Event Hubs trigger binds them.
/// </summary>
public sealed class Backbone : IAsyncDisposable
{
    private readonly Func<ValueTask> _dispose;

    private Backbone(IServiceProvider services, CosmosCostMeter writes, string databaseName, Func<ValueTask> dispose)
    {
        Services = services;
        CosmosCosts = writes;
        DatabaseName = databaseName;
        _dispose = dispose;
    }

    public IServiceProvider Services { get; }

    public CosmosCostMeter CosmosCosts { get; }

    public string DatabaseName { get; }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A backbone of plain services (no HTTP).</summary>
    /// <param name="settings">Settings that replace the defaults (e.g. a Cosmos endpoint behind a fault proxy).</param>
    public static async Task<Backbone> StartAsync(ServersFixture servers, Action<IServiceCollection>? configure = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var services = new ServiceCollection();
        var (writes, databaseName) = AddBackbone(services, servers, settings);
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider();
        return await InitializeAsync(provider, writes, databaseName, provider.DisposeAsync);
    }

    /// <summary>Registers the backbone's services and settings for a fresh database; returns its cost meter and name.</summary>
    public static (CosmosCostMeter Costs, string DatabaseName) AddBackbone(IServiceCollection services, ServersFixture servers, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var databaseName = "it-" + Guid.NewGuid().ToString("N")[..12];
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["OmniChannel:Cosmos:AccountEndpoint"] = servers.Cosmos.Endpoint.ToString(),
                ["OmniChannel:Cosmos:AccountKey"] = CosmosServer.AccountKey,
                ["OmniChannel:Cosmos:DatabaseName"] = databaseName,
                ["OmniChannel:Cosmos:GatewayMode"] = "true",
                ["OmniChannel:Cosmos:LocalProtocolServer"] = "true",
                ["OmniChannel:Cosmos:CreateIfMissing"] = "true",
                ["OmniChannel:Tables:ConnectionString"] = servers.Azurite.ConnectionString,
                ["OmniChannel:Ingest:TransientBackoff"] = "00:00:00.050",
                // No keys, as a local host on loopback: every route open, health with its dependency report.
                ["OmniChannel:Access:OpenWithoutKeys"] = "true",
            })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var writes = new CosmosCostMeter();
        services
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton<RequestHandler>(writes)
            .AddOmniChannelCore()
            .AddOmniChannelApi()
            .AddOmniChannelCosmos()
            .AddOmniChannelTables()
            .AddOmniChannelHandoffsOrSimulators(configuration)
            .AddOmniChannelIngest();
        return (writes, databaseName);
    }

    /// <summary>Creates the database, containers and tables, then starts counting from zero.</summary>
    public static async Task<Backbone> InitializeAsync(IServiceProvider provider, CosmosCostMeter writes, string databaseName, Func<ValueTask> dispose)
    {
        await provider.GetRequiredService<CosmosDatabaseAccessor>().InitializeAsync(CancellationToken.None);
        foreach (var table in OmniChannelNames.Tables.All)
        {
            await provider.GetRequiredService<global::Azure.Data.Tables.TableServiceClient>().CreateTableIfNotExistsAsync(table);
        }

        writes.Reset();
        return new Backbone(provider, writes, databaseName, dispose);
    }

    /// <summary>Hands one batch to the ingest handler as the Event Hubs trigger would.</summary>
    public Task<IngestReport> IngestAsync(IEnumerable<JsonObject> cloudEvents, string partitionId = "0") =>
        Get<EventHubBatchHandler>().HandleAsync(cloudEvents.Select(ToEventData).ToArray(), partitionId, CancellationToken.None);

    public static EventData ToEventData(JsonObject cloudEvent) => new(CloudEventJson.Encode(cloudEvent));

    /// <summary>Every document of a container, read with the change feed (the protocol server has no cross-partition queries).</summary>
    public async Task<List<JsonElement>> ReadAllAsync(string container)
    {
        var documents = new List<JsonElement>();
        var iterator = Get<CosmosDatabaseAccessor>().Database.GetContainer(container)
            .GetChangeFeedIterator<JsonElement>(ChangeFeedStartFrom.Beginning(), ChangeFeedMode.LatestVersion);
        while (iterator.HasMoreResults)
        {
            var page = await iterator.ReadNextAsync();
            if (page.StatusCode == System.Net.HttpStatusCode.NotModified)
            {
                break;
            }

            documents.AddRange(page);
        }

        return documents;
    }

    /// <summary>The health report as <c>GET /api/health</c> writes it.</summary>
    public async Task<JsonElement> HealthAsync()
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = Services };
        context.Request.Method = "GET";
        context.Request.Path = "/api/health";
        var result = await Get<HealthApi>().CheckAsync(context.Request, CancellationToken.None);
        using var body = new MemoryStream();
        context.Response.Body = body;
        await result.ExecuteAsync(context);
        return JsonDocument.Parse(body.ToArray()).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Get<CosmosDatabaseAccessor>().Database.DeleteAsync();
        }
        catch (CosmosException)
        {
            // Best effort: the server is in-memory and stops after the collection anyway.
        }

        await _dispose();
    }
}
