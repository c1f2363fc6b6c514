using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CloudNative.CloudEvents.SystemTextJson;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace OmniChannel.Simulation.Subscribers;

/// <summary>Failure and latency the simulated subscribers inject (each can be overridden per endpoint in its query string).</summary>
public sealed class SubscriberSimulatorOptions
{
    public const string SectionName = "OmniChannel:Local:Subscribers";

    /// <summary>Share of delivery attempts answered 503 (query <c>?transient=</c>); a retry of the same delivery may succeed.</summary>
    public double TransientFailureRate { get; set; }

    /// <summary>Share of subscribers that always answer 410 Gone (query <c>?permanent=</c>), chosen by subscriber id.</summary>
    public double PermanentFailureRate { get; set; }

    /// <summary>How long each answer takes (query <c>?latencyMs=</c>).</summary>
    public TimeSpan Latency { get; set; }
}

/// <summary>A delivery a simulated subscriber accepted.</summary>
public sealed record ReceivedDelivery(string SubscriberId, string WebhookId, string EventId, string EventType, JsonElement Data, DateTimeOffset ReceivedAt, int Attempt);

/// <summary>What the simulated subscribers have seen so far.</summary>
public sealed record SimulatorSummary(int Subscribers, int Delivered, int Duplicates, int TransientFailures, int PermanentFailures, int BadSignatures);

/// <summary>
/// Price subscribers for tests, the README and the benchmark: each <c>POST {prefix}/{subscriberId}</c> is verified as a
/// subscriber would (Standard Webhooks signature with that subscriber's secret, a CloudEvent body), recorded once per
/// <c>webhook-id</c>, and answered after the configured latency — or with an injected failure. Failures are
/// deterministic per delivery attempt (a hash, not a random draw), so runs repeat.
/// </summary>
public sealed class SubscriberSimulator(Func<string, CancellationToken, Task<string?>> secretOf, SubscriberSimulatorOptions options, TimeProvider clock)
{
    private static readonly JsonEventFormatter Formatter = new();
    private readonly ConcurrentDictionary<string, ReceivedDelivery> _delivered = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private int _duplicates;
    private int _transient;
    private int _permanent;
    private int _badSignatures;

    public async Task<IResult> ReceiveAsync(string subscriberId, HttpRequest request, CancellationToken cancellationToken)
    {
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(cancellationToken);
        }

        var latency = Number(request, "latencyMs") is { } milliseconds ? TimeSpan.FromMilliseconds(milliseconds) : options.Latency;
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, clock, cancellationToken);
        }

        if (Share("permanent:" + subscriberId) < (Number(request, "permanent") ?? options.PermanentFailureRate))
        {
            Interlocked.Increment(ref _permanent);
            return Results.Problem("This subscriber is gone (simulated permanent failure).", statusCode: StatusCodes.Status410Gone);
        }

        var secret = await secretOf(subscriberId, cancellationToken);
        if (secret is null)
        {
            return Results.Problem($"No subscriber '{subscriberId}' here.", statusCode: StatusCodes.Status404NotFound);
        }

        try
        {
            new StandardWebhook(secret).Verify(body, request.Headers);
        }
        catch (WebhookVerificationException exception)
        {
            Interlocked.Increment(ref _badSignatures);
            return Results.Problem($"Signature check failed: {exception.Message}", statusCode: StatusCodes.Status401Unauthorized);
        }

        var webhookId = request.Headers["webhook-id"].ToString();
        var attempt = _attempts.AddOrUpdate(webhookId, 1, (_, count) => count + 1);
        if (Share($"transient:{webhookId}:{attempt}") < (Number(request, "transient") ?? options.TransientFailureRate))
        {
            Interlocked.Increment(ref _transient);
            return Results.Problem("Busy (simulated transient failure); try again.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var cloudEvent = Formatter.DecodeStructuredModeMessage(Encoding.UTF8.GetBytes(body), new System.Net.Mime.ContentType(request.ContentType ?? "application/cloudevents+json"), extensionAttributes: null);
        var data = cloudEvent.Data is JsonElement element ? element.Clone() : JsonSerializer.SerializeToElement(cloudEvent.Data);
        var delivery = new ReceivedDelivery(subscriberId, webhookId, cloudEvent.Id!, cloudEvent.Type!, data, clock.GetUtcNow(), attempt);
        if (!_delivered.TryAdd(webhookId, delivery))
        {
            Interlocked.Increment(ref _duplicates); // a retry of something already taken: acknowledge, do not apply twice
        }

        return Results.NoContent();
    }

    public IReadOnlyList<ReceivedDelivery> Deliveries(string? subscriberId = null) =>
        _delivered.Values.Where(delivery => subscriberId is null || delivery.SubscriberId == subscriberId).OrderBy(delivery => delivery.ReceivedAt).ToList();

    public SimulatorSummary Summary() => new(
        _delivered.Values.Select(delivery => delivery.SubscriberId).Distinct().Count(), _delivered.Count, _duplicates, _transient, _permanent, _badSignatures);

    /// <summary>Maps <c>POST {prefix}/{subscriberId}</c> (deliveries), <c>GET {prefix}/{subscriberId}</c> (what it took) and <c>GET {prefix}</c> (summary).</summary>
    public void Map(IEndpointRouteBuilder endpoints, string prefix)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost(prefix + "/{subscriberId}", (string subscriberId, HttpRequest request, CancellationToken token) => ReceiveAsync(subscriberId, request, token));
        endpoints.MapGet(prefix + "/{subscriberId}", (string subscriberId) => Results.Ok(Deliveries(subscriberId)));
        endpoints.MapGet(prefix, () => Results.Ok(Summary()));
    }

    /// <summary>A stable number in [0, 1) for a key: the same delivery attempt always fails or always succeeds.</summary>
    internal static double Share(string key)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        return (BitConverter.ToUInt64(hash) >> 11) / (double)(1UL << 53);
    }

    private static double? Number(HttpRequest request, string name) =>
        double.TryParse(request.Query[name].ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
}
