using OmniChannel.Core.Ports;

namespace OmniChannel.TestSupport.Fakes;

/// <summary>The coupon conflicts in memory, with the real log's rule: one row per sale and code, a repeat replaces it.</summary>
public sealed class InMemoryCouponConflictLog : ICouponConflictLog
{
    private readonly Dictionary<(string SaleId, string Code), CouponConflict> _rows = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<CouponConflict> All
    {
        get
        {
            lock (_lock)
            {
                return [.. _rows.Values];
            }
        }
    }

    public Task RecordAsync(CouponConflict conflict, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conflict);
        lock (_lock)
        {
            _rows[(conflict.SaleId, conflict.Code)] = conflict;
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CouponConflict>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<CouponConflict> rows = [.. _rows.Values.OrderByDescending(row => row.SaleAt).Take(limit)];
            return Task.FromResult(rows);
        }
    }
}
