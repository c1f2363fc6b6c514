namespace OmniChannel.Azure.EventHubs;

/// <summary>Names of the application properties that carry trace context on an event hub message.</summary>
public static class TraceProperties
{
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";
    public const string DiagnosticId = "Diagnostic-Id";
}
