using OmniChannel.Core.Orders;

namespace OmniChannel.Core.Ports;

/// <summary>
/// The orders whose refund is pending or needs attention, for ops (<c>GET /api/operations/refunds</c>): a row per such
/// order, written before the order document says so and removed after it no longer does, so a crash between the two
/// leaves a row too many (the list checks each against its order), never an order missing from the list.
/// </summary>
public interface IRefundWatch
{
    Task WatchAsync(RefundWatchEntry entry, CancellationToken cancellationToken);

    Task ForgetAsync(string orderId, CancellationToken cancellationToken);

    /// <summary>At most <paramref name="limit"/> entries, the oldest first (the longest wait on top).</summary>
    Task<IReadOnlyList<RefundWatchEntry>> ListAsync(int limit, CancellationToken cancellationToken);
}

/// <summary>An order with money outstanding, since when, and why in words.</summary>
public sealed record RefundWatchEntry(string OrderId, string StoreId, RefundState State, string Reason, DateTimeOffset Since);
