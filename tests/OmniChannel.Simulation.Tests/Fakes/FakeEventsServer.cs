using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OmniChannel.Simulation.Tests.Fakes;

/// <summary>
/// A stand-in for the backbone's <c>POST /api/events</c> on Kestrel at a free loopback port: it records every request
/// (content type, API key, event ids and times) and answers as <see cref="Respond"/> says, 202 by default.
/// </summary>
public sealed class FakeEventsServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private int _received;

    private FakeEventsServer(WebApplication app)
    {
        _app = app;
        app.MapPost("/api/events", HandleAsync);
    }

    /// <summary>Answers request number n (1-based, retries included); set it before the replay starts.</summary>
    public Func<int, HttpResponse, Task> Respond { get; set; } = (_, response) => AcceptAsync(response);

    public Uri BaseUrl => new(_app.Urls.First());

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Every event id received, in arrival order (duplicates kept, so a test can see them).</summary>
    public IReadOnlyList<string> ReceivedIds => [.. _requests.SelectMany(request => request.Ids)];

    public static async Task<FakeEventsServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var server = new FakeEventsServer(builder.Build());
        await server._app.StartAsync();
        return server;
    }

    public static Task AcceptAsync(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status202Accepted;
        return response.WriteAsJsonAsync(new { accepted = true });
    }

    public static Task UnavailableAsync(HttpResponse response, string retryAfter, int status = StatusCodes.Status503ServiceUnavailable)
    {
        response.StatusCode = status;
        response.Headers.RetryAfter = retryAfter;
        response.ContentType = "application/problem+json";
        return response.WriteAsync("""{"type":"https://omnichannel.example/problems/dependency-unavailable","status":503}""");
    }

    public static Task InvalidAsync(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status400BadRequest;
        response.ContentType = "application/problem+json";
        return response.WriteAsync("""{"type":"https://omnichannel.example/problems/invalid-events","title":"Invalid events","status":400}""");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body);
        var events = body is JsonArray array ? array.OfType<JsonObject>().ToList() : [(JsonObject)body!];
        var number = Interlocked.Increment(ref _received);
        _requests.Enqueue(new RecordedRequest(
            number,
            context.Request.ContentType,
            context.Request.Headers["x-api-key"].FirstOrDefault(),
            body is JsonArray,
            [.. events.Select(cloudEvent => (string)cloudEvent["id"]!)],
            [.. events.Select(cloudEvent => DateTimeOffset.Parse((string)cloudEvent["time"]!, CultureInfo.InvariantCulture))]));
        await Respond(number, context.Response);
    }
}
