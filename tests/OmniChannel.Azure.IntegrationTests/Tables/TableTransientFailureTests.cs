using Azure.Core.Pipeline;
using Azure.Data.Tables;
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

    [Fact]
    public async Task TableClient_Answered429Twice_RetriesAfterRetryAfter_AndTheWriteLands()
    {
        var throttle = new ThrottleFirstRequests(2);
        var options = ServiceCollectionExtensions.TableClientOptions();
        options.Transport = new HttpClientTransport(new HttpClient(throttle));
        var table = new TableServiceClient(servers.Azurite.ConnectionString, options).GetTableClient("throttled" + Guid.NewGuid().ToString("N")[..8]);
        var waited = System.Diagnostics.Stopwatch.StartNew();

        await table.CreateIfNotExistsAsync();

        Assert.Equal(2, throttle.Throttled);
        Assert.True(waited.Elapsed >= TimeSpan.FromSeconds(1.9), $"the client did not wait for Retry-After (1 s, twice): {waited.Elapsed}");
        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["Value"] = 1 });
        Assert.Equal(1, (await table.GetEntityAsync<TableEntity>("p", "r")).Value.GetInt32("Value"));
        await table.DeleteAsync();
    }
}
