namespace OmniChannel.Core.Orders;

/// <summary>
/// The input of a BOPIS orchestration: small on purpose (the order itself is read by activities).
/// <see cref="StoreTimeZone"/> (IANA id) lets messages name times as the store's clock shows them; without it, UTC.
/// </summary>
public sealed record BopisInput(string OrderId, string CustomerId, string StoreId, BopisTimings Timings, string? StoreTimeZone = null);
