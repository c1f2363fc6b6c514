namespace OmniChannel.Core.Orders;

/// <summary>The input of a BOPIS orchestration: small on purpose (the order itself is read by activities).</summary>
public sealed record BopisInput(string OrderId, string CustomerId, string StoreId, BopisTimings Timings);
