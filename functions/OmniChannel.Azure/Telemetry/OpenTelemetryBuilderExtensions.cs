using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using OmniChannel.Core.Ingest;
using OmniChannel.Core.Insights;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace OmniChannel.Azure.Telemetry;

/// <summary>
/// The OpenTelemetry wiring both hosts call: the activity sources one trace crosses (HTTP in, ingest, Cosmos DB, the
/// Durable Task engine of either host), the KPI meter, and the exporters the settings ask for — Application Insights
/// (<c>APPLICATIONINSIGHTS_CONNECTION_STRING</c>), OTLP (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>), the console
/// (<c>OmniChannel:Telemetry:Console</c>).
/// </summary>
public static class OpenTelemetryBuilderExtensions
{
    public const string ApplicationInsightsConnectionString = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>How the Functions host signs its telemetry in: <c>ClientId=…;Authorization=AAD</c> when local auth is off.</summary>
    public const string ApplicationInsightsAuthentication = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    public const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// The sources of the spans one event's trace is made of: ingest's, the Cosmos SDK's operations, DurableTask.Core
    /// (the local host's engine: orchestration and activity spans) and the Durable Task SDK's (the Functions app's).
    /// </summary>
    public static IReadOnlyList<string> ActivitySources { get; } =
        [IngestService.ActivitySource.Name, "Azure.Cosmos.Operation", "DurableTask.Core", "Microsoft.DurableTask"];

    /// <summary>
    /// The signals and the exporters the settings ask for. With no exporter set, nothing is traced: spans no one
    /// exports would only cost the local host's load runs.
    /// </summary>
    /// <param name="serviceName">The service name the spans carry; null leaves it to the host's own defaults (the Functions worker's).</param>
    public static IOpenTelemetryBuilder AddOmniChannelTelemetry(this IOpenTelemetryBuilder builder, IConfiguration configuration, string? serviceName = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        var console = configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() is { Console: true };
        var applicationInsights = !string.IsNullOrEmpty(configuration[ApplicationInsightsConnectionString]);
        var otlp = !string.IsNullOrEmpty(configuration[OtlpEndpoint]);
        if (!console && !applicationInsights && !otlp)
        {
            return builder;
        }

        if (serviceName is not null)
        {
            builder.ConfigureResource(resource => resource.AddService(serviceName));
        }

        builder.AddOmniChannelSignals();
        if (applicationInsights)
        {
            builder.UseAzureMonitorExporter(monitor =>
            {
                monitor.ConnectionString = configuration[ApplicationInsightsConnectionString];

                // Local auth is off on the Application Insights resource: telemetry is signed with the app's identity.
                if (configuration[ApplicationInsightsAuthentication]?.Contains("Authorization=AAD", StringComparison.OrdinalIgnoreCase) == true)
                {
                    monitor.Credential = ServiceCollectionExtensions.CreateCredential(configuration);
                }
            });
        }

        if (otlp)
        {
            // Reads the OTEL_EXPORTER_OTLP_* settings itself (endpoint, protocol, headers).
            builder.UseOtlpExporter();
        }

        if (console)
        {
            builder
                .WithTracing(tracing => tracing.AddConsoleExporter())
                .WithMetrics(metrics => metrics.AddConsoleExporter());
        }

        return builder;
    }

    /// <summary>What is traced and measured, without exporters: the sources, ASP.NET Core and HttpClient, the KPI meter.</summary>
    public static IOpenTelemetryBuilder AddOmniChannelSignals(this IOpenTelemetryBuilder builder)
    {
        EnableAzureSdkActivities();
        return builder
            .WithTracing(tracing => tracing.AddSource([.. ActivitySources]).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation())
            .WithMetrics(metrics => metrics.AddMeter(KpiMeter.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation());
    }

    /// <summary>
    /// The Azure SDKs (the Cosmos client among them) emit their operations as activities only with this switch on; it
    /// is read once, so it is set before the first client is made.
    /// </summary>
    public static void EnableAzureSdkActivities() => AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);
}
