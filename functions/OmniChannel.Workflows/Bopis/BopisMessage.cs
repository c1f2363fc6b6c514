namespace OmniChannel.Workflows.Bopis;

/// <summary>
/// One message of the workflow to a store or a customer. <see cref="Purpose"/> makes the notification id
/// (<c>{orderId}:{purpose}</c>), so a retried or replayed activity sends it once.
/// </summary>
public sealed record BopisMessage(string OrderId, string RecipientId, string Purpose, string Text, DateTimeOffset At)
{
    public string NotificationId => $"{OrderId}:{Purpose}";
}
