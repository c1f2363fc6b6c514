using OmniChannel.Core.Remarketing;

namespace OmniChannel.Core.Ports;

/// <summary>
/// Coupon codes on ingested POS sales that did not redeem (another sale had, expired before the sale, not the
/// customer's): offline tills cannot be refused at the counter, so ops see them here (<c>GET /api/operations/coupon-conflicts</c>).
/// </summary>
public interface ICouponConflictLog
{
    /// <summary>Records the conflict once per sale and code (a redelivered sale overwrites its own row).</summary>
    Task RecordAsync(CouponConflict conflict, CancellationToken cancellationToken);

    /// <summary>At most <paramref name="limit"/> conflicts, the latest sale first.</summary>
    Task<IReadOnlyList<CouponConflict>> ListAsync(int limit, CancellationToken cancellationToken);
}

/// <summary>A sale that presented a code it could not redeem, and why.</summary>
public sealed record CouponConflict(string Code, string SaleId, string StoreId, DateTimeOffset SaleAt, decimal SaleTotal, TillVerdict Verdict, string Reason, DateTimeOffset RecordedAt);
