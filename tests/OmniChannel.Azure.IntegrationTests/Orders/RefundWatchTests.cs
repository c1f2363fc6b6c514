using System.Net.Http.Json;
using System.Text.Json;
using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;
using OrderLine = OmniChannel.Core.Events.OrderLine;

namespace OmniChannel.Azure.IntegrationTests.Orders;

/// <summary><c>GET /api/operations/refunds</c>: the orders whose money is still on its way back, as their orders say now.</summary>
[Collection(ServersCollection.Name)]
public sealed class RefundWatchTests(ServersFixture servers)
{
    [Fact]
    public async Task Refunds_ListsOrdersWithAPendingRefund_SkipsAndRemovesARowItsOrderNoLongerBacks()
    {
        await using var host = await HttpBackbone.StartAsync(servers);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (pending, settled) = ("o-rw-pending-" + suffix, "o-rw-settled-" + suffix);
        var since = DateTimeOffset.UtcNow.AddMinutes(-40);
        await SaveAsync(host, pending, RefundState.Pending, since, "Cancelled. Refund pending: the payment provider is not answering; it is asked again.");
        await SaveAsync(host, settled, RefundState.None, null, "Cancelled.");
        var watch = host.Backbone.Get<IRefundWatch>();
        await watch.WatchAsync(new RefundWatchEntry(pending, "0001", RefundState.Pending, "Refund pending", since), CancellationToken.None);

        // A crash after the watch row and before the order's own write leaves a row the order does not back.
        await watch.WatchAsync(new RefundWatchEntry(settled, "0001", RefundState.Pending, "Refund pending", since), CancellationToken.None);

        var listed = await host.Client.GetFromJsonAsync<JsonElement>("/api/operations/refunds?limit=1000");

        var orders = listed.GetProperty("orders").EnumerateArray().Where(order => order.GetProperty("orderId").GetString()!.EndsWith(suffix, StringComparison.Ordinal)).ToList();
        var row = Assert.Single(orders);
        Assert.Equal((pending, "pending", "cancelled", "pay-" + pending), (row.GetProperty("orderId").GetString(), row.GetProperty("state").GetString(), row.GetProperty("status").GetString(), row.GetProperty("paymentReference").GetString()));
        Assert.Equal(25.00m, row.GetProperty("total").GetDecimal());
        Assert.Contains("Refund pending", row.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain((await watch.ListAsync(1000, CancellationToken.None)), entry => entry.OrderId == settled);
    }

    private static Task SaveAsync(HttpBackbone host, string orderId, RefundState state, DateTimeOffset? since, string reason) =>
        host.Backbone.Get<IOrderStore>().SaveAsync(
            new PickupOrder
            {
                Id = orderId,
                CustomerId = "c-" + orderId,
                StoreId = "0001",
                Lines = [new OrderLine("SKU-RW", 2, 12.50m)],
                PlacedAt = DateTimeOffset.UtcNow.AddHours(-3),
                Status = OrderStatus.Cancelled,
                StatusReason = reason,
                UpdatedAt = DateTimeOffset.UtcNow,
                PaymentReference = "pay-" + orderId,
                RefundState = state,
                RefundStateSince = since,
            },
            null,
            CancellationToken.None);
}
