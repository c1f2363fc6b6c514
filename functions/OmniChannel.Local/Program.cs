using System.Net;
using DurableTask.AzureStorage;
using Microsoft.Extensions.Options;
using OmniChannel.Api;
using OmniChannel.Azure;
using OmniChannel.Azure.Telemetry;
using OmniChannel.Core;
using OmniChannel.Core.Ports;
using OmniChannel.Local.EventLog;
using OmniChannel.Local.Hosting;
using OmniChannel.Local.Security;
using OmniChannel.Local.Workflows;
using OmniChannel.Azure.Tables;
using OmniChannel.Core.Orders;
using OmniChannel.Workflows.Clients;
using OmniChannel.Simulation.Subscribers;
using OmniChannel.Simulation.Replay;
using Scalar.AspNetCore;

// `dotnet run --project functions/OmniChannel.Local -- simulate [options]` replays a realistic day against a running host.
// Only a known sub-command's name (or a help option) as the first argument goes to a command line parser: any other
// arguments (none, or configuration such as --OmniChannel:Local:Urls=…) start the host as they always did.
if (args.Length > 0 && args[0] is "-h" or "--help" or "-?")
{
    var root = new System.CommandLine.RootCommand(
        "The OmniChannel local host: run with no sub-command (configuration as --OmniChannel:Section:Key=value) to start it, or with one of these sub-commands against a running host.")
    {
        OmniChannel.Simulation.Replay.ReplayCommand.Command(), OmniChannel.Simulation.Bopis.BopisLoadCommand.Command(),
        OmniChannel.Simulation.Prices.PriceFanOutArguments.Command(), OmniChannel.Local.Soak.SoakCommand.Command(),
        OmniChannel.Simulation.Operations.DeadLetterReplayCommand.Command(), OmniChannel.Simulation.Operations.ParkedReplayCommand.Command(),
        OmniChannel.Local.Bopis.BopisRatePlot.Command(),
    };
    OmniChannel.Simulation.CommandLineOptions.WriteHelp(root, Console.Out, "Run '<sub-command> --help' for a sub-command's options.");
    return 0;
}

// Plots a finished simulate-bopis run's completion rate (docs/benchmarks.md); no host needed.
if (args.Length > 0 && args[0] is "plot-bopis")
{
    return OmniChannel.Local.Bopis.BopisRatePlot.Run(args[1..], Console.Out);
}

if (args.Length > 0 && args[0] is "simulate" or "simulate-bopis" or "simulate-prices" or "replay-deadletters" or "replay-parked" or "soak")
{
    using var stop = new CancellationTokenSource();
    Console.CancelKeyPress += (_, eventArgs) =>
    {
        eventArgs.Cancel = true;
        stop.Cancel();
    };
    return args[0] switch
    {
        "simulate-bopis" => await OmniChannel.Simulation.Bopis.BopisLoadCommand.RunAsync(args[1..], Console.Out, stop.Token), // a load run of pickup orders
        "simulate-prices" => await OmniChannel.Simulation.Prices.PriceFanOutCommand.RunAsync(args[1..], Console.Out, stop.Token), // timed price fan-outs
        "replay-deadletters" => await OmniChannel.Simulation.Operations.DeadLetterReplayCommand.RunAsync(args[1..], Console.Out, handler: null, stop.Token),
        "soak" => await OmniChannel.Local.Soak.SoakCommand.RunAsync(args[1..], Console.Out, stop.Token), // load ladder or soak, sampled
        "replay-parked" => await OmniChannel.Simulation.Operations.ParkedReplayCommand.RunAsync(args[1..], Console.Out, handler: null, stop.Token),
        _ => await ReplayCommand.RunAsync(args[1..], Console.Out, stop.Token),
    };
}

// The content root is the build output, where appsettings.json is (its log levels quiet the Durable Task engine),
// whichever folder `dotnet run` is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

// A request's URL can carry a key (?code=, as in Functions; refused, but sent all the same): the request start and
// finish lines, which quote the URL, are never logged, whatever level the configuration asks of ASP.NET Core.
builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
var local = builder.Configuration.GetSection(LocalOptions.SectionName).Get<LocalOptions>() ?? new LocalOptions();
var urls = local.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries);
var loopbackOnly = urls.All(IsLoopback);
if (!loopbackOnly && !local.HasKeys)
{
    await Console.Error.WriteLineAsync($"Refusing to listen on {local.Urls} without keys: set OmniChannel:Local:CollectKey, StoreKey, ServiceKey and AdminKey when listening beyond loopback.");
    return 2;
}

await using var servers = await LocalServerSet.StartAsync(local, Console.Out, CancellationToken.None);
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["OmniChannel:Cosmos:AccountEndpoint"] = servers.CosmosEndpoint.ToString(),
    ["OmniChannel:Cosmos:AccountKey"] = OmniChannel.LocalServers.CosmosServer.AccountKey,
    ["OmniChannel:Cosmos:GatewayMode"] = "true",
    ["OmniChannel:Cosmos:LocalProtocolServer"] = "true",
    ["OmniChannel:Cosmos:CreateIfMissing"] = "true",
    ["OmniChannel:Tables:ConnectionString"] = servers.StorageConnectionString,
    ["OmniChannel:Tables:CreateIfMissing"] = "true",
});
builder.WebHost.UseUrls(urls);
// The console's files come from the WebConsole project's build output (static web assets), in every environment.
builder.WebHost.UseStaticWebAssets();
// Served as built: fingerprinted, cached for a year, precompressed. Left to its default for a build's files, ASP.NET's
// hot-reload handler would send them no-cache and, when a file's time differs from the manifest's (the framework's
// files do), gzip it at level 0 on every request: 25 MB over the wire for a first load. Set it to true to edit
// wwwroot while the host runs.
builder.Configuration["ReloadStaticAssetsAtRuntime"] ??= "false";
builder.Services.Configure<LocalOptions>(builder.Configuration.GetSection(LocalOptions.SectionName));

// A stop waits at most this long for the hosted services (the Durable Task engine's graceful stop, ingest's batch).
builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(10));
builder.Services.AddSingleton(servers);
builder.Services.AddOpenTelemetry().AddOmniChannelTelemetry(builder.Configuration, serviceName: "omnichannel-local");
builder.Services.AddHostedService<ChildServerWatchdog>();
builder.Services.Configure<EventLogOptions>(builder.Configuration.GetSection(EventLogOptions.SectionName));
builder.Services
    .AddOmniChannelCore()
    .AddOmniChannelApi()
    .AddOmniChannelCosmos()
    .AddOmniChannelTables()
    .AddOmniChannelPriceDelivery()
    .AddOmniChannelHandoffsOrSimulators(builder.Configuration)
    .AddOmniChannelIngest();
builder.Services.AddSingleton(provider => new FileEventLog(
    Path.Combine(servers.DataDirectory, "eventlog"), provider.GetRequiredService<IOptions<EventLogOptions>>().Value));
builder.Services.AddSingleton<IEventPublisher, EventLogPublisher>();
builder.Services.AddHostedService<IngestPump>();
builder.Services.AddHostedService<ReservationSweepService>();
builder.Services.AddApiRateLimits(local);
builder.Services.Configure<OmniChannel.Api.Security.ApiAccessOptions>(access => ApiAccessMiddleware.Configure(access, local));
builder.Services.AddSingleton<IDependencyProbe, EventLogProbe>();
builder.Services.AddSingleton<IDependencyProbe, WorkflowEngineProbe>();
builder.Services.AddSingleton(WorkflowCatalog.All);
builder.Services.AddSingleton(provider => DurableTaskEngine.CreateService(servers.StorageConnectionString, provider.GetRequiredService<ILoggerFactory>()));
builder.Services.AddHostedService<DurableTaskEngine>();
builder.Services.AddSingleton(services => new CoreWorkflowClient(services.GetRequiredService<AzureStorageOrchestrationService>(), services.GetRequiredService<ILoggerFactory>()));
builder.Services.AddSingleton<IWorkflowClient>(services => services.GetRequiredService<CoreWorkflowClient>());
builder.Services.AddSingleton<IWorkflowPurge>(services => services.GetRequiredService<CoreWorkflowClient>());
builder.Services.AddHostedService<WorkflowRetentionService>();
builder.Services.AddSingleton<IIngestReaction, PickupOrderReaction>();
builder.Services.AddSingleton<IIngestReaction, PickupArrivalReaction>();
builder.Services.AddSingleton<IIngestReaction, OmniChannel.Core.Remarketing.RemarketingReaction>();
builder.Services.AddSingleton(provider => new SubscriberSimulator(
    provider.GetRequiredService<ISubscriberSecretStore>().GetAsync,
    builder.Configuration.GetSection(SubscriberSimulatorOptions.SectionName).Get<SubscriberSimulatorOptions>() ?? new SubscriberSimulatorOptions(),
    TimeProvider.System));

var app = builder.Build();
app.UseOmniChannelProblems();
// Limited before the access check, as in the Functions app, so made-up keys are slowed down too.
app.UseRateLimiter();
app.UseMiddleware<ApiAccessMiddleware>();
app.MapOmniChannelApi();
// An interactive reference over /api/openapi.json; Scalar serves its script from its own assembly, so it works offline.
// Its web fonts, AI chat and developer tools would call Scalar's servers: off, so the page reaches no one but this host.
app.MapScalarApiReference("/" + ApiRoutes.Prefix + "/" + ApiRoutes.ApiReference, options => options
    .WithTitle("OmniChannel API")
    .DisableDefaultFonts()
    .DisableAgent()
    .HideDeveloperTools()
    .WithOpenApiRoutePattern("/" + ApiRoutes.Prefix + "/" + ApiRoutes.OpenApiDocument));
app.MapGet("/api/local/eventlog", (FileEventLog log) =>
{
    var partitions = log.State();
    return TypedResults.Ok(new { head = partitions.Sum(p => p.Head), ingested = partitions.Sum(p => p.Checkpoint), lag = partitions.Sum(p => p.Lag), partitions });
});

app.MapGet("/api/local/orders/{id}/messages", async (string id, TableNotificationRecorder notifications, TableRefundRecorder refunds, CancellationToken token) =>
    TypedResults.Ok(new
    {
        notifications = await notifications.ListAsync(id, token),
        refunds = (await refunds.ListAsync(id, token)).Select(refund => new { refund.RefundId, refund.Amount, refund.Reason }),
    }));

app.Services.GetRequiredService<SubscriberSimulator>().Map(app, Banner.SubscriberPath);

// The web console at /: its files, and index.html for its own addresses (/rules, /pickup/0001…). An unknown /api
// address stays a 404 problem, not the console's page.
app.MapStaticAssets();
app.MapFallback("/api/{**path}", (string path) => Problems.NotFound($"The route '/api/{path}'"));
app.MapFallbackToFile("index.html");

var bootstrap = await LocalBootstrapper.RunAsync(app.Services, local, SubscriberSimulatorBase(urls[0]), app.Lifetime.ApplicationStopping);
await app.StartAsync();
Banner.Print(Console.Out, app.Urls, local, servers, bootstrap, app.Services.GetRequiredService<IOptions<OmniChannel.Core.Handoffs.HandoffOptions>>().Value,
    app.Services.GetRequiredService<IOptions<OmniChannel.Core.Orders.BopisOptions>>().Value);
await app.WaitForShutdownAsync();
return 0;

// The seeded subscribers' endpoints: the simulator on this host's first address (a wildcard host means loopback here).
static Uri SubscriberSimulatorBase(string url)
{
    var address = new UriBuilder(url.Replace("*", "127.0.0.1", StringComparison.Ordinal).Replace("+", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal))
    {
        Path = Banner.SubscriberPath + "/",
    };
    return address.Uri;
}

static bool IsLoopback(string url) =>
    Uri.TryCreate(url.Replace("*", "0.0.0.0", StringComparison.Ordinal).Replace("+", "0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
    && (uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var address) && IPAddress.IsLoopback(address)));
