using System.Runtime.CompilerServices;
using OmniChannel.Azure.Telemetry;

namespace OmniChannel.Azure.IntegrationTests.Telemetry;

/// <summary>
/// The Azure SDKs read their activity switch once per process, when the first client is made: whichever test makes one
/// first, the trace tests then find the Cosmos client's spans (the hosts set it at start-up the same way).
/// </summary>
internal static class AzureSdkActivities
{
#pragma warning disable CA2255 // A test assembly, not a library: the switch must be on before any test runs.
    [ModuleInitializer]
    internal static void Enable() => OpenTelemetryBuilderExtensions.EnableAzureSdkActivities();
#pragma warning restore CA2255
}
