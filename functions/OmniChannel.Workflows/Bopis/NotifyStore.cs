using Microsoft.DurableTask;
using OmniChannel.Core.Notifications;
using OmniChannel.Core.Ports;

namespace OmniChannel.Workflows.Bopis;

/// <summary>Sends a message to the store's associates (pick task, escalation, release). Idempotent by notification id; answers it.</summary>
public sealed class NotifyStore(INotificationSender sender) : TaskActivity<BopisMessage, string>
{
    public const string Name = nameof(NotifyStore);

    /// <summary>Associates see pick tasks on the store's tablet (the console's Pickup view).</summary>
    public const string Channel = "store-tablet";

    public override Task<string> RunAsync(TaskActivityContext context, BopisMessage input) => ExecuteAsync(input, CancellationToken.None);

    /// <summary>The activity's work, for hosts that call it from a function-based trigger.</summary>
    public async Task<string> ExecuteAsync(BopisMessage input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var notification = new Notification(input.NotificationId, Audience.Store, input.RecipientId, Channel, input.Text, input.OrderId, input.At, input.Purpose);
        await sender.SendAsync(notification, cancellationToken);
        return notification.Id;
    }
}
