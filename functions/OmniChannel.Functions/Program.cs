using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OmniChannel.Api;
using OmniChannel.Azure;
using OmniChannel.Core;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;
using OmniChannel.Functions;
using OmniChannel.Functions.Workflows;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<ProblemDetailsMiddleware>();
builder.UseMiddleware<ApiRateLimitMiddleware>();
builder.UseMiddleware<ApiAccessMiddleware>();

builder.Services
    .AddApplicationInsightsTelemetryWorkerService()
    .ConfigureFunctionsApplicationInsights();
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
builder.Services.AddSingleton<IWorkflowClient, FunctionsWorkflowClient>();
builder.Services.AddSingleton<IIngestReaction, PickupOrderReaction>();
builder.Services.AddSingleton<IIngestReaction, PickupArrivalReaction>();
builder.Services.AddSingleton<IIngestReaction, OmniChannel.Core.Remarketing.RemarketingReaction>();

builder.Build().Run();
