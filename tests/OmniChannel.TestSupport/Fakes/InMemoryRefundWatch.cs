using OmniChannel.Core.Ports;

namespace OmniChannel.TestSupport.Fakes;

/// <summary>The refund watch in memory: a row per order, replaced on each watch, removed on forget.</summary>
public sealed class InMemoryRefundWatch : IRefundWatch
{
    private readonly Dictionary<string, RefundWatchEntry> _rows = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public Task WatchAsync(RefundWatchEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_lock)
        {
            _rows[entry.OrderId] = entry;
        }

        return Task.CompletedTask;
    }

    public Task ForgetAsync(string orderId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _rows.Remove(orderId);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RefundWatchEntry>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<RefundWatchEntry> rows = [.. _rows.Values.OrderBy(row => row.Since).Take(limit)];
            return Task.FromResult(rows);
        }
    }
}
