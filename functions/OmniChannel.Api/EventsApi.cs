using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using OmniChannel.Core.Events;
using OmniChannel.Core.Ports;

namespace OmniChannel.Api;

/// <summary><c>POST /api/events</c>: one event or a batch, in any CloudEvents HTTP content mode.</summary>
public sealed class EventsApi(EventDecoder decoder, IEventPublisher publisher, ContractOptions options)
{
    public async Task<IResult> CollectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > options.MaxBodyBytes)
        {
            return Problems.From(CollectFailure.Request(CollectFailureKind.TooLarge, "Request body too large",
                $"The body has {request.ContentLength} bytes; at most {options.MaxBodyBytes} are accepted. Split the batch."));
        }

        var body = await ReadBodyAsync(request, options.MaxBodyBytes + 1, cancellationToken);
        var headers = request.Headers.Select(header => new KeyValuePair<string, string?>(header.Key, header.Value.ToString()));
        var result = decoder.DecodeRequest(body, request.ContentType, headers);
        if (result.Failure is not null)
        {
            return Problems.From(result.Failure);
        }

        var events = WithTraceContext(result.Events, TraceContextOf(request));
        await publisher.PublishAsync(events, cancellationToken);
        return TypedResults.Accepted((string?)null, new CollectAccepted(events.Count, events.Select(omniEvent => omniEvent.Id).ToList()));
    }

    /// <summary>
    /// The W3C trace context of the request: the current activity's when the host traces (Application Insights,
    /// OpenTelemetry), else the caller's <c>traceparent</c> header as it came.
    /// </summary>
    private static (string TraceParent, string? TraceState)? TraceContextOf(HttpRequest request)
    {
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity)
        {
            return (activity.Id!, activity.TraceStateString);
        }

        var header = request.Headers.TraceParent.ToString();
        return ActivityContext.TryParse(header, request.Headers.TraceState.ToString(), out _)
            ? (header, request.Headers.TraceState.Count > 0 ? request.Headers.TraceState.ToString() : null)
            : null;
    }

    /// <summary>Carries the collect request's trace context into each event that does not bring its own.</summary>
    private static IReadOnlyList<OmniEvent> WithTraceContext(IReadOnlyList<OmniEvent> events, (string TraceParent, string? TraceState)? context) =>
        context is not { } trace
            ? events
            : events.Select(omniEvent => omniEvent.TraceParent is null ? omniEvent with { TraceParent = trace.TraceParent, TraceState = trace.TraceState } : omniEvent).ToList();

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length >= limit)
            {
                // Enough to know it is too large; the decoder answers 413 without reading the rest.
                break;
            }
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }
}
