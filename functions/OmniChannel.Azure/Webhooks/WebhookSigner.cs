using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using StandardWebhooks;

namespace OmniChannel.Azure.Webhooks;

/// <summary>
/// The one Standard Webhooks signing of every outgoing webhook (price deliveries, notifications, refund requests): a
/// POST of a structured-mode CloudEvent with <c>webhook-id</c> (stable per message, so a receiver drops repeats),
/// <c>webhook-timestamp</c> and <c>webhook-signature</c> (<c>v1,</c> + base64 HMAC-SHA256 of <c>id.timestamp.body</c>
/// with the receiver's <c>whsec_…</c> secret). Any Standard Webhooks library verifies it.
/// </summary>
public static class WebhookSigner
{
    public const string CloudEventsJson = "application/cloudevents+json; charset=utf-8";

    /// <summary>A signed request carrying <paramref name="body"/>; the caller sends and disposes it.</summary>
    public static HttpRequestMessage SignedRequest(Uri endpoint, string messageId, byte[] body, string secret, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(body);
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(CloudEventsJson);
        request.Headers.Add("webhook-id", messageId);
        request.Headers.Add("webhook-timestamp", timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", new StandardWebhook(secret).Sign(messageId, timestamp, Encoding.UTF8.GetString(body)));
        return request;
    }
}
