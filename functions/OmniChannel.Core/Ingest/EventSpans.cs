using System.Diagnostics;
using OmniChannel.Core.Events;

namespace OmniChannel.Core.Ingest;

/// <summary>
/// One span per event of the batch being ingested, each continuing the trace its event came with (the collect
/// request's W3C context), so a request's trace reaches the event's Cosmos write, its person's profile write and the
/// reactions to it (a workflow start included). The batch's steps take whole batches through ports that know nothing
/// of tracing, so the spans of the batch in flight sit in an async-local: a step that works for one event enters that
/// event's span with <see cref="Enter"/>, and outside ingest there is none to enter.
/// </summary>
public sealed class EventSpans : IDisposable
{
    /// <summary>The name of an event's span.</summary>
    public const string SpanName = "ingest event";

    // Async-local, like Activity.Current itself: each batch's flow (and the parallel writes it awaits) sees its own.
    private static readonly AsyncLocal<EventSpans?> InFlight = new();

    private readonly Dictionary<string, Activity> _byEventKey;
    private readonly EventSpans? _outer;

    private EventSpans(Dictionary<string, Activity> byEventKey, EventSpans? outer)
    {
        _byEventKey = byEventKey;
        _outer = outer;
    }

    /// <summary>
    /// Starts a span per event, a child of the event's traceparent (of the current activity when it has none), and
    /// makes them the batch's until <see cref="Dispose"/>. Nothing is allocated per event when no one listens.
    /// </summary>
    public static EventSpans Start(ActivitySource source, IEnumerable<OmniEvent> events)
    {
        var byEventKey = new Dictionary<string, Activity>(StringComparer.Ordinal);
        if (source.HasListeners())
        {
            var batch = Activity.Current;
            foreach (var omniEvent in events)
            {
                ActivityContext.TryParse(omniEvent.TraceParent, omniEvent.TraceState, isRemote: true, out var parent);
                var span = source.StartActivity(ActivityKind.Consumer, parent, name: SpanName, links: batch is null ? null : [new ActivityLink(batch.Context)]);

                // Starting a span makes it current: the next event without a trace of its own, and the batch's own
                // steps, stay under the batch's span.
                Activity.Current = batch;
                if (span is not null)
                {
                    span.SetTag("cloudevents.event_id", omniEvent.Id);
                    span.SetTag("cloudevents.event_source", omniEvent.Source);
                    span.SetTag("cloudevents.event_type", omniEvent.Type);
                    span.SetTag("omnichannel.channel", omniEvent.Channel);
                    byEventKey[omniEvent.Key] = span;
                }
            }
        }

        var spans = new EventSpans(byEventKey, InFlight.Value);
        InFlight.Value = spans;
        return spans;
    }

    /// <summary>
    /// Makes the span of <paramref name="omniEvent"/> (of the batch in flight) the current activity until the scope is
    /// disposed, so what runs meanwhile (an SDK's own spans, a workflow start) joins the event's trace. A no-op outside
    /// ingest or when no one listens.
    /// </summary>
    public static Scope Enter(OmniEvent omniEvent) =>
        InFlight.Value is { } spans && spans._byEventKey.TryGetValue(omniEvent.Key, out var span) ? new Scope(span) : default;

    /// <summary>Marks every event's span failed (the batch was parked or gave up).</summary>
    public void Fail(string description)
    {
        foreach (var span in _byEventKey.Values)
        {
            span.SetStatus(ActivityStatusCode.Error, description);
        }
    }

    public void Dispose()
    {
        foreach (var span in _byEventKey.Values)
        {
            span.Dispose();
        }

        InFlight.Value = _outer;
    }

    /// <summary>The event's span as the current activity; disposing restores the one before.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly Activity? _previous;
        private readonly bool _entered;

        internal Scope(Activity span)
        {
            _previous = Activity.Current;
            _entered = true;
            Activity.Current = span;
        }

        public void Dispose()
        {
            if (_entered)
            {
                Activity.Current = _previous;
            }
        }
    }
}
