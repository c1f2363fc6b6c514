using System.Text.Json;
using System.Text.Json.Nodes;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using OmniChannel.Core.Handoffs;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Prices;

namespace OmniChannel.Azure.Webhooks;

/// <summary>
/// Hands one CloudEvent to a system outside the backbone (the customer-engagement platform, the payment service):
/// structured mode, signed by <see cref="WebhookSigner"/> with the receiver's secret. The answer is classified as price
/// deliveries are (<see cref="DeliveryAttempt.FromStatus"/>): 2xx accepted; 408, 425, 429, 5xx, a refused connection
/// or no answer within the deadline are transient and thrown as <see cref="HttpRequestException"/> (the workflow
/// retries those, and keeps a refund pending); any other answer is permanent, a <see cref="HandoffRejectedException"/>.
/// No retries here: the workflow's activity retries and durable timers are the one retry loop, so attempts do not multiply.
/// </summary>
public sealed class WebhookHandoff(HttpClient http, TimeProvider clock)
{
    private static readonly JsonEventFormatter Formatter = new();

    public TimeProvider Clock => clock;

    /// <summary>A structured-mode CloudEvent of the backbone with JSON <paramref name="data"/>.</summary>
    public static CloudEvent Event(string id, Uri source, string type, string? subject, DateTimeOffset time, JsonObject data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new CloudEvent(CloudEventsSpecVersion.V1_0)
        {
            Id = id,
            Source = source,
            Type = type,
            Subject = subject,
            Time = time,
            DataContentType = "application/json",
            Data = data.Deserialize<JsonElement>(),
        };
    }

    /// <summary>
    /// Posts <paramref name="cloudEvent"/> to the receiver configured under <paramref name="setting"/> (its endpoint and
    /// secret); <paramref name="messageId"/> is the same on every retry.
    /// </summary>
    public async Task PostAsync(string receiver, HandoffReceiverOptions target, string setting, string messageId, CloudEvent cloudEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(cloudEvent);
        if (target is not { Endpoint: { } endpoint, Secret: { Length: > 0 } secret })
        {
            throw new InvalidOperationException($"Set {HandoffOptions.SectionName}:{setting}:Endpoint and Secret.");
        }

        var body = Formatter.EncodeStructuredModeMessage(cloudEvent, out _).ToArray();
        using var request = WebhookSigner.SignedRequest(endpoint, messageId, body, secret, clock.GetUtcNow());
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            // Refused, reset, DNS: the receiver may be back in a moment.
            throw new HttpRequestException($"{receiver} at {endpoint.Host} is unreachable: {exception.Message}", exception);
        }
        catch (TaskCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HttpRequestException($"{receiver} at {endpoint.Host} did not answer within {http.Timeout}.", new TimeoutException(exception.Message, exception));
        }

        using (response)
        {
            var attempt = DeliveryAttempt.FromStatus((int)response.StatusCode, response.ReasonPhrase);
            switch (attempt.Outcome)
            {
                case AttemptOutcome.Delivered:
                    return;
                case AttemptOutcome.Transient:
                    throw new HttpRequestException($"{receiver} at {endpoint.Host} answered {attempt.Error}; it is asked again.", inner: null, response.StatusCode);
                default:
                    throw new HandoffRejectedException($"{receiver} at {endpoint.Host} refused {cloudEvent.Type} {cloudEvent.Id}: {attempt.Error}.", (int)response.StatusCode);
            }
        }
    }
}
