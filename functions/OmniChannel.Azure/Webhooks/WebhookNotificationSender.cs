using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudNative.CloudEvents;
using Microsoft.Extensions.Options;
using OmniChannel.Core.Handoffs;
using OmniChannel.Core.Notifications;
using OmniChannel.Core.Ports;

namespace OmniChannel.Azure.Webhooks;

/// <summary>
/// Hands every customer and store message (ready, reminder, expiry, short; pick task, overdue, arrived…) to the
/// customer-engagement platform as an <c>omni.order.notification</c> CloudEvent, which sends it on by push, e-mail, SMS
/// or to the store's tablet. <c>webhook-id</c> is <c>msg_notification_{notification id}</c>, the same on every retry.
/// </summary>
public sealed class WebhookNotificationSender(WebhookHandoff handoff, IOptions<HandoffOptions> options) : INotificationSender
{
    public const string EventType = "omni.order.notification";
    public static readonly Uri Source = new("/omnichannel/notifications", UriKind.Relative);

    public Task SendAsync(Notification notification, CancellationToken cancellationToken) =>
        handoff.PostAsync("The customer-engagement platform", options.Value.CustomerEngagement, nameof(HandoffOptions.CustomerEngagement),
            MessageId(notification.Id), ToCloudEvent(notification), cancellationToken);

    public static string MessageId(string notificationId) => $"msg_notification_{notificationId}";

    public static CloudEvent ToCloudEvent(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        return WebhookHandoff.Event(notification.Id, Source, EventType, notification.OrderId, notification.At, new JsonObject
        {
            ["notificationId"] = notification.Id,
            ["audience"] = JsonNamingPolicy.CamelCase.ConvertName(notification.Audience.ToString()),
            ["purpose"] = notification.Purpose,
            ["recipient"] = notification.RecipientId,
            ["channel"] = notification.Channel,
            ["text"] = notification.Text,
            ["orderId"] = notification.OrderId,
            ["at"] = notification.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        });
    }
}
