using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Prices;

namespace OmniChannel.Azure.Webhooks;

/// <summary>
/// Delivers a price change as a structured-mode CloudEvent (<c>omni.price.changed</c>), signed per Standard Webhooks
/// (<see cref="WebhookSigner"/>) with the subscriber's secret (and, while it rotates, the previous one too); <c>webhook-id</c> is the same on every retry to that
/// subscriber, so it can drop repeats.
/// </summary>
public sealed class WebhookPriceChannel(HttpClient http, TimeProvider clock) : IPriceDeliveryChannel
{
    public const string EventType = "omni.price.changed";
    public static readonly Uri Source = new("/omnichannel/prices", UriKind.Relative);
    private static readonly JsonEventFormatter Formatter = new();

    // A batch hands every subscriber the same change object: its CloudEvent is encoded once, not once per delivery.
    private static readonly ConditionalWeakTable<PriceChange, byte[]> Bodies = new();

    public async Task<DeliveryAttempt> DeliverAsync(PriceChange change, PriceSubscriber subscriber, IReadOnlyList<string> secrets, CancellationToken cancellationToken)
    {
        var body = Bodies.GetValue(change, Body);
        var messageId = MessageId(change.Id, subscriber.Id);
        using var request = WebhookSigner.SignedRequest(subscriber.Endpoint, messageId, body, secrets, clock.GetUtcNow());
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return DeliveryAttempt.FromStatus((int)response.StatusCode, response.ReasonPhrase);
        }
        catch (HttpRequestException exception)
        {
            // Refused, reset, DNS: the subscriber may be back in a moment.
            return new DeliveryAttempt(AttemptOutcome.Transient, null, exception.Message);
        }
    }

    /// <summary>Stable per change and subscriber: a receiver that saw this id has this change.</summary>
    public static string MessageId(string changeId, string subscriberId) => $"msg_{changeId}_{subscriberId}";

    /// <summary>The structured-mode CloudEvent of a change (the same bytes for every subscriber).</summary>
    public static byte[] Body(PriceChange change)
    {
        var cloudEvent = new CloudEvent(CloudEventsSpecVersion.V1_0)
        {
            Id = change.Id,
            Source = Source,
            Type = EventType,
            Time = change.AcceptedAt,
            DataContentType = "application/json",
            Data = new JsonObject
            {
                ["changeId"] = change.Id,
                ["effectiveAt"] = change.EffectiveAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                ["scope"] = change.Scope.ToString(),
                ["items"] = new JsonArray(change.Items.Select(item => (JsonNode)new JsonObject
                {
                    ["sku"] = item.Sku,
                    ["price"] = item.Price,
                    ["currency"] = item.Currency,
                }).ToArray()),
            }.Deserialize<JsonElement>(),
        };
        return Formatter.EncodeStructuredModeMessage(cloudEvent, out _).ToArray();
    }
}
