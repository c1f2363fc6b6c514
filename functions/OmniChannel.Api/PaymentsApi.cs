using System.Globalization;
using System.Net.Mime;
using System.Text;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using OmniChannel.Core.Handoffs;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace OmniChannel.Api;

/// <summary>
/// The payment service's callbacks. <c>POST /api/payments/refunds/events</c> takes a structured-mode CloudEvent
/// <c>omni.payment.refund.succeeded</c> or <c>.failed</c> (data: refundId, orderId, amount?, reason?) signed per Standard
/// Webhooks with <c>OmniChannel:Handoffs:Payments:CallbackSecret</c>: the signature is its authentication (no API key),
/// so a missing, wrong or stale one (over five minutes off) is 401. The word goes to the order's workflow as
/// <see cref="BopisWorkflow.RefundSettledEvent"/>; a repeat (the same webhook-id or refund) changes nothing there, since
/// the workflow takes the first word on its refund. 202 whether or not a workflow still waits (a return's refund has none).
/// </summary>
public sealed class PaymentsApi(IOptions<HandoffOptions> options, IOrderStore orders, IWorkflowClient workflows)
{
    public const string RefundSucceeded = "omni.payment.refund.succeeded";
    public const string RefundFailed = "omni.payment.refund.failed";

    private static readonly JsonEventFormatter Formatter = new();

    public async Task<IResult> RefundEventAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (options.Value.Payments.CallbackSecret is not { Length: > 0 } secret)
        {
            return Problems.Unauthorized($"This host takes no payment callbacks: {HandoffOptions.SectionName}:Payments:CallbackSecret is not set.");
        }

        var body = await RequestBodies.ReadBytesAsync(request, cancellationToken);
        try
        {
            new StandardWebhook(secret).Verify(Encoding.UTF8.GetString(body), request.Headers);
        }
        catch (WebhookVerificationException exception)
        {
            return Problems.Unauthorized($"The Standard Webhooks signature does not verify ({exception.Message}): sign webhook-id.webhook-timestamp.body with the callback secret, with a timestamp within five minutes.");
        }

        if (Decode(body, request.ContentType) is not { } cloudEvent)
        {
            return Problems.MalformedBody("a structured-mode CloudEvent (application/cloudevents+json) with data {refundId, orderId, amount?, reason?}");
        }

        if (cloudEvent.Type is not (RefundSucceeded or RefundFailed))
        {
            return Problems.InvalidParameter("type", $"The type must be '{RefundSucceeded}' or '{RefundFailed}'; it is '{cloudEvent.Type}'.");
        }

        var data = cloudEvent.Data is JsonElement { ValueKind: JsonValueKind.Object } element ? element : default;
        var refundId = Text(data, "refundId");
        var orderId = Text(data, "orderId");
        var errors = new List<Core.Events.FieldError>();
        if (refundId is null)
        {
            errors.Add(new("data.refundId", "is required: the refund id of the request."));
        }

        if (orderId is null)
        {
            errors.Add(new("data.orderId", "is required: the order the refund belongs to."));
        }

        var amount = Amount(data, errors);
        if (errors.Count > 0)
        {
            return Problems.InvalidFields("Invalid refund callback", errors);
        }

        if (await orders.GetAsync(orderId!, cancellationToken) is null)
        {
            return Problems.NotFound($"Order '{orderId}'");
        }

        var succeeded = cloudEvent.Type == RefundSucceeded;
        var settlement = new RefundSettlement(refundId!, succeeded, amount, Text(data, "reason"));
        var delivered = await workflows.RaiseEventAsync(BopisWorkflow.InstanceIdFor(orderId!), BopisWorkflow.RefundSettledEvent, settlement, cancellationToken);
        return TypedResults.Accepted((string?)null, new RefundCallbackAccepted(refundId!, orderId!, succeeded ? "succeeded" : "failed", delivered));
    }

    private static CloudEvent? Decode(byte[] body, string? contentType)
    {
        if (contentType is null || !contentType.StartsWith("application/cloudevents+json", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            return Formatter.DecodeStructuredModeMessage(body, new ContentType(contentType), extensionAttributes: null);
        }
        catch (Exception exception) when (exception is ArgumentException or JsonException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : null;

    /// <summary>The amount refunded, as a decimal string or a number; optional.</summary>
    private static decimal? Amount(JsonElement data, List<Core.Events.FieldError> errors)
    {
        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty("amount", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number))
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String && decimal.TryParse(value.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }

        errors.Add(new("data.amount", "must be a decimal amount, e.g. \"24.99\"."));
        return null;
    }
}

/// <summary>The 202 answer of a refund callback: whether an order's workflow still waited for the word (<c>delivered</c>).</summary>
public sealed record RefundCallbackAccepted(string RefundId, string OrderId, string Outcome, bool Delivered);
