namespace OmniChannel.Core.Notifications;

/// <summary>
/// One message to a customer or a store. <see cref="Id"/> is deterministic (order + purpose), so a retried activity
/// sends it once.
/// </summary>
/// <remarks><see cref="Purpose"/> (ready, reminder, expired, pick, pick-overdue, arrived…) lets a receiver choose a template; null where the sender has none.</remarks>
public sealed record Notification(string Id, Audience Audience, string RecipientId, string Channel, string Text, string? OrderId, DateTimeOffset At, string? Purpose = null);
