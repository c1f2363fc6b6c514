using Microsoft.DurableTask;
using OmniChannel.Core.Notifications;
using OmniChannel.Core.Ports;

namespace OmniChannel.Workflows.Bopis;

/// <summary>Sends a message to the customer (ready, reminder, expired, cancelled, rejected). Idempotent by notification id; answers it.</summary>
public sealed class NotifyCustomer(INotificationSender sender) : TaskActivity<BopisMessage, string>
{
    public const string Name = nameof(NotifyCustomer);

    public const string Channel = "push";

    public override Task<string> RunAsync(TaskActivityContext context, BopisMessage input) => ExecuteAsync(input, CancellationToken.None);

    /// <summary>The activity's work, for hosts that call it from a function-based trigger.</summary>
    public async Task<string> ExecuteAsync(BopisMessage input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var notification = new Notification(input.NotificationId, Audience.Customer, input.RecipientId, Channel, input.Text, input.OrderId, input.At, input.Purpose);
        await sender.SendAsync(notification, cancellationToken);
        return notification.Id;
    }
}
