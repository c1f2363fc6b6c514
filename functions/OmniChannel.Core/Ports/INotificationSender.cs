using OmniChannel.Core.Notifications;

namespace OmniChannel.Core.Ports;

/// <summary>Sends messages to customers (push, e-mail, SMS) and stores (pick tasks, escalations). Idempotent by notification id.</summary>
public interface INotificationSender
{
    Task SendAsync(Notification notification, CancellationToken cancellationToken);
}
