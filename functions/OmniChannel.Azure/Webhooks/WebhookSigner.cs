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
    public static HttpRequestMessage SignedRequest(Uri endpoint, string messageId, byte[] body, string secret, DateTimeOffset timestamp) =>
        SignedRequest(endpoint, messageId, body, [secret], timestamp);

    /// <summary>
    /// A request signed with each of <paramref name="secrets"/>: <c>webhook-signature</c> carries one <c>v1,…</c> entry
    /// per secret, space-separated, as Standard Webhooks allows for rotation, so a receiver verifies with either.
    /// </summary>
    public static HttpRequestMessage SignedRequest(Uri endpoint, string messageId, byte[] body, IReadOnlyList<string> secrets, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentOutOfRangeException.ThrowIfZero(secrets.Count);
        ArgumentNullException.ThrowIfNull(body);
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(CloudEventsJson);
        request.Headers.Add("webhook-id", messageId);
        request.Headers.Add("webhook-timestamp", timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        var payload = Encoding.UTF8.GetString(body);
        var signatures = secrets.Select(secret => new StandardWebhook(secret).Sign(messageId, timestamp, payload)).ToList();
        if (signatures.Count > 1)
        {
            // The StandardWebhooks .NET library (1.1.2) compares the last entry of several against the whole header, so
            // it never matches: repeated, the last secret's entry is also checked where it is not last. Harmless to
            // verifiers that read every entry, as the specification says they do.
            signatures.Add(signatures[^1]);
        }

        request.Headers.Add("webhook-signature", string.Join(' ', signatures));
        return request;
    }
}
