using System.Diagnostics;
using OmniChannel.Core.Ingest;
using OmniChannel.Core.UnitTests.Builders;

namespace OmniChannel.Core.UnitTests.Ingest;

public sealed class EventSpansTests : IDisposable
{
    // A source of this test's own: listeners are process-wide, and ingest's source is busy in other tests.
    private readonly ActivitySource _source = new("OmniChannel.Tests.EventSpans." + Guid.NewGuid().ToString("N"));
    private readonly ActivityListener _listener;

    public EventSpansTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source == _source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Fact]
    public void Enter_AnEventOfTheBatchInFlight_ItsSpanIsCurrentAndContinuesTheEventsTrace()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var requestSpan = ActivitySpanId.CreateRandom();
        var traced = Decoding.Event(CloudEventBuilder.View().WithId("traced").Set("traceparent", $"00-{traceId}-{requestSpan}-01"));
        var untraced = Decoding.Event(CloudEventBuilder.View().WithId("untraced"));
        using var batch = _source.StartActivity("batch");

        using (EventSpans.Start(_source, [traced, untraced]))
        {
            Assert.Same(batch, Activity.Current);
            using (EventSpans.Enter(traced))
            {
                Assert.Equal(traceId, Activity.Current!.TraceId);
                Assert.Equal(requestSpan, Activity.Current.ParentSpanId);
                Assert.Equal(EventSpans.SpanName, Activity.Current.DisplayName);
            }

            Assert.Same(batch, Activity.Current);
            using (EventSpans.Enter(untraced))
            {
                // No trace of its own: under the batch's span.
                Assert.Equal(batch!.SpanId, Activity.Current!.ParentSpanId);
            }
        }

        using (EventSpans.Enter(traced))
        {
            // The batch is done: nothing to enter.
            Assert.Same(batch, Activity.Current);
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        _source.Dispose();
    }
}
