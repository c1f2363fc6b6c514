namespace OmniChannel.Core.Orders;

/// <summary>The payment service's word on a refund it accepted: the payload of <see cref="BopisWorkflow.RefundSettledEvent"/>.</summary>
public sealed record RefundSettlement(string RefundId, bool Succeeded, decimal? Amount, string? Reason);
