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

    /// <param name="serviceName">The service name the spans carry; null leaves it to the host's own defaults (the Functions worker's).</param>
    public static IOpenTelemetryBuilder AddOmniChannelTelemetry(this IOpenTelemetryBuilder builder, IConfiguration configuration, string? serviceName = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        EnableAzureSdkActivities();
        if (serviceName is not null)
        {
            builder.ConfigureResource(resource => resource.AddService(serviceName));
        }

        builder
            .WithTracing(tracing => tracing.AddOmniChannelSources().AddAspNetCoreInstrumentation().AddHttpClientInstrumentation())
            .WithMetrics(metrics => metrics.AddOmniChannelMeters().AddAspNetCoreInstrumentation().AddHttpClientInstrumentation());

        if (!string.IsNullOrEmpty(configuration[ApplicationInsightsConnectionString]))
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

        if (!string.IsNullOrEmpty(configuration[OtlpEndpoint]))
        {
            // Reads the OTEL_EXPORTER_OTLP_* settings itself (endpoint, protocol, headers).
            builder.UseOtlpExporter();
        }

        if (configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() is { Console: true })
        {
            builder
                .WithTracing(tracing => tracing.AddConsoleExporter())
                .WithMetrics(metrics => metrics.AddConsoleExporter());
        }

        return builder;
    }

    public static TracerProviderBuilder AddOmniChannelSources(this TracerProviderBuilder tracing) => tracing.AddSource([.. ActivitySources]);

    public static MeterProviderBuilder AddOmniChannelMeters(this MeterProviderBuilder metrics) => metrics.AddMeter(KpiMeter.Name);

    /// <summary>
    /// The Azure SDKs (the Cosmos client among them) emit their operations as activities only with this switch on; it
    /// is read once, so it is set before the first client is made.
    /// </summary>
    public static void EnableAzureSdkActivities() => AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);
}
