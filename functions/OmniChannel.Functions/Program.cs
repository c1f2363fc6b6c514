using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OmniChannel.Api;
using OmniChannel.Azure;
using OmniChannel.Core;
using OmniChannel.Functions;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<ProblemDetailsMiddleware>();

builder.Services
    .AddApplicationInsightsTelemetryWorkerService()
    .ConfigureFunctionsApplicationInsights();
builder.Services
    .AddOmniChannelCore()
    .AddOmniChannelApi()
    .AddOmniChannelCosmos()
    .AddOmniChannelTables()
    .AddOmniChannelEventHubsPublisher()
    .AddOmniChannelIngest();

builder.Build().Run();
