using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using DurableTask.AzureStorage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Azure.Telemetry;
using OmniChannel.Core.Ingest;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;
using OmniChannel.Local.EventLog;
using OmniChannel.Local.Hosting;
using OmniChannel.Local.Workflows;
using OmniChannel.Workflows.Clients;
using OpenTelemetry;
using OpenTelemetry.Trace;
using static OmniChannel.Azure.IntegrationTests.Fixtures.Events;

namespace OmniChannel.Azure.IntegrationTests.Telemetry;

/// <summary>
/// One trace from a channel's request to the Cosmos DB write and the first workflow activity, through the local host's
/// pipeline run for real in this process: the collect API on Kestrel, the local event log, the ingest pump, the Cosmos
/// protocol server and the Durable Task engine on Azurite, traced by the hosts' OpenTelemetry signals into an in-memory
/// exporter. Listeners are process-wide and other tests ingest meanwhile: only spans of the test's own trace count.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class ChannelToWorkflowTraceTests(ServersFixture servers)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task CollectPosSale_ThroughTheLocalLogAndIngest_ItsCosmosWriteIsInTheRequestsTrace()
    {
        var spans = new SpanLog();
        await using var pipeline = await StartPipelineAsync(spans, withWorkflows: false);
        var channel = ChannelRequest.New();

        await pipeline.CollectAsync(PosSale("sale-" + channel.TraceId, 1, "0004", "c-trace-1", ("SKU-T", 1)), channel);

        var trace = await WaitForAsync(spans, channel.TraceId, found => found.Any(IsEventWrite) && found.Any(IsEventSpan));
        var server = Assert.Single(trace, IsCollectRequest);
        Assert.Equal(channel.SpanId, server.ParentSpanId);
        var ingest = Assert.Single(trace, IsEventSpan);
        Assert.Equal(server.SpanId, ingest.ParentSpanId);
        Assert.Equal("sale-" + channel.TraceId, ingest.GetTagItem("cloudevents.event_id"));
        Assert.Equal(ingest.SpanId, trace.Single(IsEventWrite).ParentSpanId);
    }

    [Fact]
    public async Task CollectPickupOrder_ThroughIngestToTheWorkflow_ItsFirstActivityIsInTheRequestsTrace()
    {
        var spans = new SpanLog();
        await using var pipeline = await StartPipelineAsync(spans, withWorkflows: true);
        var channel = ChannelRequest.New();
        var orderId = "APP-" + channel.TraceId[..12];

        await pipeline.CollectAsync(Event("order-" + channel.TraceId, "omni.order.placed", 5, "app", new JsonObject
        {
            ["orderid"] = orderId,
            ["fulfilment"] = "pickup",
            ["storeid"] = "0004",
            ["lines"] = new JsonArray(new JsonObject { ["sku"] = "SKU-T", ["quantity"] = 1, ["price"] = "5.00" }),
        }, customerId: "c-trace-2", source: "/app/ios"), channel);

        var trace = await WaitForAsync(spans, channel.TraceId, found => found.Any(IsWorkflowActivity) && found.Any(IsEventSpan));
        var ingest = Assert.Single(trace, IsEventSpan);
        Assert.Equal(Assert.Single(trace, IsCollectRequest).SpanId, ingest.ParentSpanId);

        // The workflow's start is a child of the event's span. The orchestration's own span is exported when the
        // orchestration ends, which a pickup order waiting for its pick has not: its first activity is found by trace id.
        var start = Assert.Single(trace, span => span.Source.Name == "DurableTask.Core" && span.Kind == ActivityKind.Producer);
        Assert.Equal(ingest.SpanId, start.ParentSpanId);
        Assert.StartsWith("activity:ReserveOrderStock", trace.First(IsWorkflowActivity).DisplayName, StringComparison.Ordinal);
    }

    private static bool IsCollectRequest(Activity span) => span.Source.Name == "Microsoft.AspNetCore" && span.Kind == ActivityKind.Server;

    // Exported when the batch is done, after its writes.
    private static bool IsEventSpan(Activity span) => span.Source.Name == IngestService.ActivitySource.Name && span.DisplayName == EventSpans.SpanName;

    private static bool IsEventWrite(Activity span) =>
        span.Source.Name == "Azure.Cosmos.Operation" && span.DisplayName.Contains("create_item", StringComparison.Ordinal)
        && span.DisplayName.Contains(OmniChannel.Core.OmniChannelNames.Containers.Events, StringComparison.Ordinal);

    private static bool IsWorkflowActivity(Activity span) =>
        span.Source.Name == "DurableTask.Core" && span.DisplayName.StartsWith("activity:", StringComparison.Ordinal);

    /// <summary>The finished spans of one trace, once <paramref name="complete"/> holds for them.</summary>
    private static async Task<List<Activity>> WaitForAsync(SpanLog spans, string traceId, Func<List<Activity>, bool> complete)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var trace = spans.Of(traceId);

            if (complete(trace))
            {
                return trace;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Trace {traceId} incomplete after {Patience}: {string.Join(", ", trace.Select(span => $"{span.Source.Name}/{span.DisplayName}"))}");
            await Task.Delay(200);
        }
    }

    private async Task<Pipeline> StartPipelineAsync(SpanLog spans, bool withWorkflows)
    {
        var logDirectory = Path.Combine(Path.GetTempPath(), "omnichannel-trace-" + Guid.NewGuid().ToString("N"));
        var eventLog = new FileEventLog(Path.Combine(logDirectory, "eventlog"), new EventLogOptions());
        await eventLog.InitializeAsync(CancellationToken.None);
        LocalServerSet? localServers = null;
        if (withWorkflows)
        {
            // Reuses the collection's servers (they listen on these ports): nothing more is started.
            localServers = await LocalServerSet.StartAsync(
                new LocalOptions
                {
                    DataDirectory = logDirectory,
                    CosmosPort = servers.Cosmos.Port,
                    AzuriteBlobPort = servers.Azurite.BlobPort,
                    AzuriteQueuePort = servers.Azurite.QueuePort,
                    AzuriteTablePort = servers.Azurite.TablePort,
                },
                TextWriter.Null,
                CancellationToken.None);
        }

        var backbone = await HttpBackbone.StartAsync(servers, configure: services =>
        {
            services.AddOpenTelemetry()
                .AddOmniChannelSignals()
                .WithTracing(tracing => tracing.AddInMemoryExporter(spans));
            services.AddSingleton(eventLog);
            services.AddSingleton<IEventPublisher, EventLogPublisher>();
            services.AddHostedService<IngestPump>();
            services.AddSingleton<IIngestReaction, PickupOrderReaction>();
            if (localServers is not null)
            {
                services.AddSingleton(localServers);
                services.AddSingleton(WorkflowCatalog.All);
                services.AddSingleton(provider => DurableTaskEngine.CreateService(localServers.StorageConnectionString, provider.GetRequiredService<ILoggerFactory>()));
                services.AddHostedService<DurableTaskEngine>();
                services.AddSingleton<IWorkflowClient>(provider => new CoreWorkflowClient(provider.GetRequiredService<AzureStorageOrchestrationService>(), provider.GetRequiredService<ILoggerFactory>()));
            }
        });
        return new Pipeline(backbone, eventLog, localServers, logDirectory);
    }

    /// <summary>What the in-memory exporter exported, safe to read while it adds.</summary>
    private sealed class SpanLog : Collection<Activity>
    {
        private readonly Lock _gate = new();

        public List<Activity> Of(string traceId)
        {
            lock (_gate)
            {
                return this.Where(span => span.TraceId.ToHexString() == traceId).ToList();
            }
        }

        protected override void InsertItem(int index, Activity item)
        {
            lock (_gate)
            {
                base.InsertItem(index, item);
            }
        }
    }

    /// <summary>The W3C context a channel's till or app sends its request with.</summary>
    private sealed record ChannelRequest(string TraceId, ActivitySpanId SpanId)
    {
        public static ChannelRequest New() => new(ActivityTraceId.CreateRandom().ToHexString(), ActivitySpanId.CreateRandom());

        public string TraceParent => $"00-{TraceId}-{SpanId.ToHexString()}-01";
    }

    private sealed class Pipeline(HttpBackbone backbone, FileEventLog eventLog, LocalServerSet? localServers, string logDirectory) : IAsyncDisposable
    {
        // The channel's own context goes as it is: this client adds no traceparent of its own.
        private readonly HttpClient _client = new(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = backbone.Client.BaseAddress };

        public async Task CollectAsync(JsonObject cloudEvent, ChannelRequest channel)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/events")
            {
                Content = new StringContent(cloudEvent.ToJsonString(), new MediaTypeHeaderValue("application/cloudevents+json")),
            };
            request.Headers.Add("traceparent", channel.TraceParent);
            using var response = await _client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        }

        public async ValueTask DisposeAsync()
        {
            _client.Dispose();
            await backbone.DisposeAsync();
            eventLog.Dispose();
            if (localServers is not null)
            {
                await localServers.DisposeAsync();
            }

            try
            {
                Directory.Delete(logDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by a stopping reader: the temp folder is cleaned by the OS.
            }
        }
    }
}
