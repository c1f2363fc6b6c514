using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Core.Notifications;
using OmniChannel.Core.Ports;
using OmniChannel.TestSupport.Faults;

namespace OmniChannel.Azure.IntegrationTests.Tables;

/// <summary>
/// Table storage that does not answer is a transient fault of the core's kind, which ingest and the workflows retry:
/// before, the Tables SDK's own exception reached the pickup workflow, which took it for a permanent failure and
/// refunded a good order.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class TableTransientFailureTests(ServersFixture servers)
{
    [Fact]
    public async Task TableAdapters_StorageUnreachable_FailWithTheCoresTransientFault()
    {
        await using var storage = new StorageFaultProxy(servers.Azurite);
        await using var backbone = await Backbone.StartAsync(servers, settings: new Dictionary<string, string?> { ["OmniChannel:Tables:ConnectionString"] = storage.ConnectionString });
        var notification = new Notification("O-1:pick", Audience.Store, "0001", "store", "Pick order O-1", "O-1", DateTimeOffset.UtcNow);
        await backbone.Get<INotificationSender>().SendAsync(notification, CancellationToken.None);

        storage.Down();

        var failure = await Assert.ThrowsAsync<TransientStorageException>(() => backbone.Get<INotificationSender>().SendAsync(notification with { Id = "O-1:pick-overdue" }, CancellationToken.None));
        Assert.Contains("Azure Tables", failure.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<TransientStorageException>(() => backbone.Get<IStoreDirectory>().ListAsync(CancellationToken.None));

        storage.Up();
        await backbone.Get<INotificationSender>().SendAsync(notification with { Id = "O-1:pick-overdue" }, CancellationToken.None);
    }
}
