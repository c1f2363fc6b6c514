using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OmniChannel.Api;
using OmniChannel.Azure;
using OmniChannel.Azure.Telemetry;
using OmniChannel.Core;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;
using OmniChannel.Functions;
using OmniChannel.Functions.Workflows;
using OmniChannel.Workflows.Clients;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<ProblemDetailsMiddleware>();
builder.UseMiddleware<ApiRateLimitMiddleware>();
builder.UseMiddleware<ApiAccessMiddleware>();
builder.UseMiddleware<DurableClientMiddleware>();

builder.Services.AddOpenTelemetry()
    .UseFunctionsWorkerDefaults()
    .AddOmniChannelTelemetry(builder.Configuration);
builder.Services
    .AddOmniChannelCore()
    .AddOmniChannelApi()
    .AddOmniChannelCosmos()
    .AddOmniChannelTables()
    .AddOmniChannelEventHubsPublisher()
    .AddOmniChannelPriceDelivery()
    .AddOmniChannelHandoffs()
    .AddOmniChannelKeyVaultSecrets(builder.Configuration)
    .AddOmniChannelIngest();
// The workflow port uses the Durable client the middleware bound for the invocation in flight.
var workflows = new SdkWorkflowClient(InvocationDurableClient.Current);
builder.Services.AddSingleton<IWorkflowClient>(workflows);
builder.Services.AddSingleton<IWorkflowPurge>(workflows);
builder.Services.AddSingleton<IIngestReaction, PickupOrderReaction>();
builder.Services.AddSingleton<IIngestReaction, PickupArrivalReaction>();
builder.Services.AddSingleton<IIngestReaction, OmniChannel.Core.Remarketing.RemarketingReaction>();

builder.Build().Run();
