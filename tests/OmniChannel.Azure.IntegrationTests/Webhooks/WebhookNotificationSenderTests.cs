using Microsoft.Extensions.Options;
using OmniChannel.Azure.Webhooks;
using OmniChannel.Core.Handoffs;
using OmniChannel.Core.Notifications;
using OmniChannel.Core.Ports;
using OmniChannel.TestSupport.Receivers;

namespace OmniChannel.Azure.IntegrationTests.Webhooks;

/// <summary>Customer and store messages to a customer-engagement platform on loopback that verifies and decodes them.</summary>
public sealed class WebhookNotificationSenderTests : IAsyncLifetime
{
    private readonly string _secret = HandoffReceiver.NewSecret();
    private HandoffReceiver _platform = null!;

    public async Task InitializeAsync() => _platform = await HandoffReceiver.StartAsync(_secret);

    public async Task DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task SendAsync_CustomerAndStoreMessages_ArriveAsSignedNotificationCloudEvents_WithAStableWebhookIdPerMessage()
    {
        var sender = Sender();
        var at = new DateTimeOffset(2026, 12, 7, 9, 30, 0, TimeSpan.Zero);

        await sender.SendAsync(new Notification("A-1:ready", Audience.Customer, "c-7", "push", "Your order A-1 is ready.", "A-1", at, "ready"), CancellationToken.None);
        await sender.SendAsync(new Notification("A-1:pick", Audience.Store, "0001", "store-tablet", "New pickup order A-1.", "A-1", at, "pick"), CancellationToken.None);
        await sender.SendAsync(new Notification("A-1:ready", Audience.Customer, "c-7", "push", "Your order A-1 is ready.", "A-1", at, "ready"), CancellationToken.None);

        Assert.Equal(0, _platform.BadSignatures);
        var received = _platform.Received;
        Assert.Equal(["msg_notification_A-1:ready", "msg_notification_A-1:pick", "msg_notification_A-1:ready"], received.Select(item => item.WebhookId).ToArray());
        Assert.All(received, item => Assert.Equal("omni.order.notification", item.Type));
        var ready = received[0];
        Assert.Equal(("customer", "ready", "c-7", "Your order A-1 is ready.", "A-1"), (ready.Text("audience"), ready.Text("purpose"), ready.Text("recipient"), ready.Text("text"), ready.Text("orderId")));
        var pick = received[1];
        Assert.Equal(("store", "pick", "0001", "store-tablet"), (pick.Text("audience"), pick.Text("purpose"), pick.Text("recipient"), pick.Text("channel")));
    }

    [Fact]
    public async Task SendAsync_PlatformBusy_IsTransient_RefusedForGood_IsPermanent()
    {
        var sender = Sender();
        var message = new Notification("A-2:reminder", Audience.Customer, "c-8", "push", "Reminder.", "A-2", DateTimeOffset.UnixEpoch, "reminder");

        _platform.Respond = _ => 429;
        await Assert.ThrowsAsync<HttpRequestException>(() => sender.SendAsync(message, CancellationToken.None));
        _platform.Respond = _ => 400;
        Assert.Equal(400, (await Assert.ThrowsAsync<HandoffRejectedException>(() => sender.SendAsync(message, CancellationToken.None))).Status);
    }

    private WebhookNotificationSender Sender() =>
        new(
            new WebhookHandoff(new HttpClient(), TimeProvider.System),
            Options.Create(new HandoffOptions { CustomerEngagement = new HandoffReceiverOptions { Endpoint = _platform.Endpoint, Secret = _secret } }));
}
