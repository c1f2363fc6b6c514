using OmniChannel.Core.Notifications;
using OmniChannel.Core.Ports;

namespace OmniChannel.Workflows.Tests.Fakes;

/// <summary>Records every message once by id (as the real adapters do), and every attempt; can fail for good on demand.</summary>
public sealed class RecordingNotificationSender : INotificationSender
{
    private readonly List<Notification> _messages = [];
    private readonly List<string> _attempts = [];
    private readonly Lock _lock = new();

    /// <summary>Messages for which sending throws a permanent error (not one the workflow retries).</summary>
    public Func<Notification, bool> FailsFor { get; set; } = _ => false;

    /// <summary>The messages sent, oldest first, one per id.</summary>
    public IReadOnlyList<Notification> Messages
    {
        get
        {
            lock (_lock)
            {
                return _messages.ToList();
            }
        }
    }

    /// <summary>The id of every call, repeated ones included.</summary>
    public IReadOnlyList<string> Attempts
    {
        get
        {
            lock (_lock)
            {
                return _attempts.ToList();
            }
        }
    }

    public IReadOnlyList<string> Purposes(string orderId, Audience audience) =>
        Messages.Where(message => message.OrderId == orderId && message.Audience == audience)
            .Select(message => message.Id[(orderId.Length + 1)..])
            .ToList();

    public Task SendAsync(Notification notification, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _attempts.Add(notification.Id);
            if (FailsFor(notification))
            {
                throw new InvalidOperationException($"The {notification.Channel} gateway rejected {notification.Id}.");
            }

            if (_messages.All(message => message.Id != notification.Id))
            {
                _messages.Add(notification);
            }
        }

        return Task.CompletedTask;
    }
}
