namespace OmniChannel.Core.Notifications;

public enum Audience
{
    Customer,
    Store,
}
