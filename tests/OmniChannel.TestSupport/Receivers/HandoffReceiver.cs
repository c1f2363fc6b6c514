using System.Collections.Concurrent;
using System.Net.Mime;
using System.Text;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace OmniChannel.TestSupport.Receivers;

/// <summary>
/// A receiver of the backbone's hand-offs (the customer-engagement platform, the payment service) on Kestrel at a free
/// loopback port, as a real one would be built: it verifies each request's Standard Webhooks signature with the
/// StandardWebhooks library and the receiver's secret (401 otherwise), decodes the structured-mode CloudEvent with the
/// CNCF SDK, records it, and answers as <see cref="Respond"/> says (202 by default). Nothing leaves the machine.
/// </summary>
public sealed class HandoffReceiver : IAsyncDisposable
{
    private static readonly JsonEventFormatter Formatter = new();

    private readonly WebApplication _app;
    private readonly string _secret;
    private readonly ConcurrentQueue<ReceivedHandoff> _received = new();
    private int _attempts;
    private int _badSignatures;

    private HandoffReceiver(WebApplication app, string secret)
    {
        _app = app;
        _secret = secret;
        app.MapPost("/handoffs", HandleAsync);
    }

    /// <summary>The status to answer request number n (1-based, retries included), after the signature was checked.</summary>
    public Func<int, int> Respond { get; set; } = _ => StatusCodes.Status202Accepted;

    /// <summary>How long to wait before answering (to make the sender's deadline pass).</summary>
    public TimeSpan Latency { get; set; }

    public Uri Endpoint => new(_app.Urls.First() + "/handoffs");

    /// <summary>What arrived with a good signature, in arrival order (repeats kept).</summary>
    public IReadOnlyList<ReceivedHandoff> Received => [.. _received];

    public int BadSignatures => Volatile.Read(ref _badSignatures);

    /// <summary>A new <c>whsec_…</c> secret, as a receiver would issue one.</summary>
    public static string NewSecret() => "whsec_" + Convert.ToBase64String(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray());

    public static async Task<HandoffReceiver> StartAsync(string secret)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var receiver = new HandoffReceiver(builder.Build(), secret);
        await receiver._app.StartAsync();
        return receiver;
    }

    /// <summary>Waits until something with a good signature matching <paramref name="match"/> has arrived.</summary>
    public async Task<ReceivedHandoff> WaitForAsync(Func<ReceivedHandoff, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_received.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Nothing matching arrived within {timeout}; received: {string.Join(", ", _received.Select(item => item.Type + " " + item.Id))}.");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> HandleAsync(HttpRequest request)
    {
        var attempt = Interlocked.Increment(ref _attempts);
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        try
        {
            new StandardWebhook(_secret).Verify(body, request.Headers);
        }
        catch (WebhookVerificationException exception)
        {
            Interlocked.Increment(ref _badSignatures);
            return Results.Problem($"Signature check failed: {exception.Message}", statusCode: StatusCodes.Status401Unauthorized);
        }

        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency);
        }

        var status = Respond(attempt);
        var cloudEvent = Formatter.DecodeStructuredModeMessage(Encoding.UTF8.GetBytes(body), new ContentType(request.ContentType!), extensionAttributes: null);
        var data = cloudEvent.Data is JsonElement element ? element.Clone() : JsonSerializer.SerializeToElement(cloudEvent.Data);
        _received.Enqueue(new ReceivedHandoff(request.Headers["webhook-id"].ToString(), cloudEvent.Id!, cloudEvent.Type!, cloudEvent.Source?.ToString(), request.ContentType!, data, status));
        return Results.StatusCode(status);
    }
}

/// <summary>One verified hand-off: its webhook id, CloudEvent id and type, and data; <see cref="AnsweredWith"/> is what the receiver answered.</summary>
public sealed record ReceivedHandoff(string WebhookId, string Id, string Type, string? Source, string ContentType, JsonElement Data, int AnsweredWith)
{
    public string? Text(string name) => Data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
