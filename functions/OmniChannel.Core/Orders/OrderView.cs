namespace OmniChannel.Core.Orders;

/// <summary>What <c>GET /api/orders/{id}</c> answers: the order and where its workflow stands.</summary>
public sealed record OrderView(PickupOrder Order, string? WorkflowStatus, BopisProgress? Progress);
