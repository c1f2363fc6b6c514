using OmniChannel.Core.Customers;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;
using OmniChannel.Core.UnitTests.Builders;
using OmniChannel.Core.UnitTests.Fakes;
using OmniChannel.TestSupport.Fakes;

namespace OmniChannel.Core.UnitTests.Customers;

/// <summary>The erasure's orchestration over the in-memory ports: what goes, in which order, a retry after a crash, and ingest after it.</summary>
public sealed class CustomerErasureTests
{
    private readonly IngestHarness _ingest = new();
    private readonly InMemoryOrderStore _orders = new();
    private readonly InMemoryCouponLedger _coupons = new();
    private readonly InMemoryAttributionStore _attribution = new();
    private readonly InMemoryOrderRecords _notifications = new("notifications");
    private readonly InMemoryOrderRecords _refunds = new("refunds", keeps: true);
    private readonly CustomerErasure _erasure;

    public CustomerErasureTests() =>
        _erasure = new CustomerErasure(
            new CustomerQueries(_ingest.Stitcher, _ingest.Events), _ingest.Profiles, _ingest.Links, _ingest.Events, _orders, _coupons, _attribution,
            [_notifications, _refunds], _ingest.Erasures, _ingest.Clock, _ingest.Stitcher);

    private async Task BuildPersonAsync()
    {
        var at = TestClock.Now.AddHours(-2);
        await _ingest.IngestAsync(CloudEventBuilder.View().Anonymous("d-1").WithTime(at), CloudEventBuilder.View().Anonymous("d-1").WithTime(at.AddMinutes(1)));
        await _ingest.IngestAsync(CloudEventBuilder.SignIn("C1", "d-1").WithTime(at.AddMinutes(2)));
        await _ingest.IngestAsync(CloudEventBuilder.View().NoIdentity().Loyalty("L1").WithTime(at.AddMinutes(3)));
        await _ingest.IngestAsync(CloudEventBuilder.View().NoIdentity().Customer("C1").Loyalty("L1").WithTime(at.AddMinutes(4)));
        _ingest.Profiles.Update("customer:C1", stored => stored.OpenOrders.Add(new OmniChannel.Core.Profiles.OpenOrder("O-1", "pickup", "0001", 10m, at)));
        await _orders.SaveAsync(new PickupOrder { Id = "O-1", CustomerId = "C1", StoreId = "0001", Lines = [new OmniChannel.Core.Events.OrderLine("SKU-1", 1, 10m)], PlacedAt = at }, null, CancellationToken.None);
        await _coupons.IssueAsync(new OmniChannel.Core.Remarketing.Coupon("CODE-1", "C1", "r1", "0001", null, new OmniChannel.Core.Remarketing.Offer(OmniChannel.Core.Remarketing.OfferKind.Percent, 10m, 0m, 24), at, at.AddDays(1), OmniChannel.Core.Remarketing.CouponState.Issued, "i-1"), null, null, CancellationToken.None);
        await _attribution.OpenAsync(new OmniChannel.Core.Remarketing.AttributionWindow("r1", "C1", OmniChannel.Core.Remarketing.AttributionGroup.HeldOut, at, at.AddDays(7)), CancellationToken.None);
        _notifications.Add("O-1", "ready");
        _refunds.Add("O-1", "refund");
    }

    [Fact]
    public async Task Erase_ByDevice_RemovesThePersonEverywhere_AndReportsEachStore()
    {
        await BuildPersonAsync();

        var report = await _erasure.EraseAsync("device:d-1", CancellationToken.None);

        Assert.Equal((3, 5, 1, 1, 2, 3), (report!.Identities, report.Events, report.LiveProfiles, report.MergedProfiles, report.IdentityLinks, report.Tombstones));
        Assert.Equal((1, 1, 1), (report.OrdersAnonymised, report.Coupons, report.AttributionWindows));
        Assert.Empty(_attribution.Windows);
        Assert.Equal(new OrderRecordsErased(1, 0), report.OrderRecords["notifications"]);
        Assert.Equal(new OrderRecordsErased(0, 1), report.OrderRecords["refunds"]);
        Assert.Empty(_ingest.Events.Events);
        Assert.Empty(_ingest.Profiles.Ids);
        Assert.Empty(_ingest.Links.Links);
        Assert.Empty(_coupons.All);
        Assert.Equal(CustomerErasure.ErasedCustomerId, _orders.Get("O-1")!.CustomerId);
        Assert.Empty(_ingest.Erasures.Jobs);
        Assert.Equal(3, _ingest.Erasures.Tombstones.Count);
        Assert.All(_ingest.Erasures.Tombstones, tombstone => Assert.DoesNotContain("C1", tombstone.KeyHash, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Erase_CrashBeforeTheJobEnds_ARetryByAnotherIdentityFinishesIt()
    {
        await BuildPersonAsync();
        _ingest.Erasures.FailNextJobDelete = new TransientStorageException("down", null, new IOException());

        await Assert.ThrowsAsync<TransientStorageException>(() => _erasure.EraseAsync("C1", CancellationToken.None));
        var erasedAt = Assert.Single(_ingest.Erasures.Jobs).ErasedAt;

        // The profile and the links are gone, so only the tombstone and the job lead to the person now.
        var retry = await _erasure.EraseAsync("loyalty:L1", CancellationToken.None);

        Assert.False(retry!.AlreadyErased);
        Assert.Equal(erasedAt, retry.ErasedAt);
        Assert.Equal(3, retry.Identities);
        Assert.Empty(_ingest.Erasures.Jobs);
        var repeat = await _erasure.EraseAsync("C1", CancellationToken.None);
        Assert.True(repeat!.AlreadyErased);
        Assert.Null(await _erasure.EraseAsync("nobody", CancellationToken.None));
    }

    [Fact]
    public async Task Ingest_AfterAnErasure_DropsThePersonsOldEvents_LetsLaterOnesStartANewPerson_OneTombstoneReadPerBatch()
    {
        await BuildPersonAsync();
        await _erasure.EraseAsync("C1", CancellationToken.None);
        var readsBefore = _ingest.Erasures.SinceReads;

        var late = await _ingest.IngestAsync(
            CloudEventBuilder.View().Anonymous("d-1").WithTime(TestClock.Now.AddHours(-3)),
            CloudEventBuilder.View().NoIdentity().Customer("C1").WithTime(TestClock.Now),
            CloudEventBuilder.View().NoIdentity().Customer("C-other").WithTime(TestClock.Now.AddHours(-3)));
        var later = await _ingest.IngestAsync(CloudEventBuilder.View().NoIdentity().Customer("C1").WithTime(TestClock.Now.AddSeconds(1)));

        Assert.Equal((2, 1), (late.Erased, late.Stored));
        Assert.Equal((0, 1), (later.Erased, later.Stored));
        Assert.Equal(2, _ingest.Erasures.SinceReads - readsBefore);
        var fresh = _ingest.Profiles.Get("customer:C1")!;
        Assert.Equal(["customer:C1"], fresh.Identities);
        Assert.Empty(fresh.OpenOrders);
    }
}
