namespace OmniChannel.Azure.Telemetry;

/// <summary>Section <c>OmniChannel:Telemetry</c>: where the hosts' traces and metrics go besides the standard exporters' own settings.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "OmniChannel:Telemetry";

    /// <summary>Writes every span and metric to standard output (for a look at a trace locally, no collector needed).</summary>
    public bool Console { get; set; }
}
