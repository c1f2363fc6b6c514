using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using StandardWebhooks;

namespace OmniChannel.TestSupport.Receivers;

/// <summary>What a payment service sends back about a refund: a structured-mode CloudEvent signed with its callback secret by the Standard Webhooks library.</summary>
public static class PaymentServiceCallback
{
    public const string Route = "/api/payments/refunds/events";

    /// <summary>The CloudEvent's JSON: <c>omni.payment.refund.succeeded</c> or <c>.failed</c> about one refund.</summary>
    public static string Body(string refundId, string orderId, bool succeeded, string amount = "24.99", string? reason = null) => new JsonObject
    {
        ["specversion"] = "1.0",
        ["id"] = "evt-" + refundId + (succeeded ? "-ok" : "-failed"),
        ["source"] = "/payments",
        ["type"] = succeeded ? "omni.payment.refund.succeeded" : "omni.payment.refund.failed",
        ["time"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        ["datacontenttype"] = "application/json",
        ["data"] = new JsonObject { ["refundId"] = refundId, ["orderId"] = orderId, ["amount"] = amount, ["reason"] = reason },
    }.ToJsonString();

    /// <summary>A POST of <paramref name="body"/> signed with <paramref name="secret"/> (null: unsigned) at <paramref name="timestamp"/> (default now).</summary>
    public static HttpRequestMessage Request(string body, string? secret, string webhookId = "msg_cb_1", DateTimeOffset? timestamp = null, string contentType = "application/cloudevents+json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Route) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        if (secret is not null)
        {
            var at = timestamp ?? DateTimeOffset.UtcNow;
            request.Headers.Add("webhook-id", webhookId);
            request.Headers.Add("webhook-timestamp", at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", new StandardWebhook(secret).Sign(webhookId, at, body));
        }

        return request;
    }
}
