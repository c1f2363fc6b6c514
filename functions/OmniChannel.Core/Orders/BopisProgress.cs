namespace OmniChannel.Core.Orders;

/// <summary>The orchestration's custom status, shown on <c>GET /api/orders/{id}</c>.</summary>
public sealed record BopisProgress(OrderStatus Status, string Reason, DateTimeOffset At);
