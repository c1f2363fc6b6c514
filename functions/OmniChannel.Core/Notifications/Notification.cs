namespace OmniChannel.Core.Notifications;

/// <summary>
/// One message to a customer or a store. <see cref="Id"/> is deterministic (order + purpose), so a retried activity
/// sends it once.
/// </summary>
public sealed record Notification(string Id, Audience Audience, string RecipientId, string Channel, string Text, string? OrderId, DateTimeOffset At);
