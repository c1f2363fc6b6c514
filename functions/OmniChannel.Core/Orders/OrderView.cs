namespace OmniChannel.Core.Orders;

/// <summary>
/// What <c>GET /api/orders/{id}</c> answers: the order, where its workflow stands, and the workflow version the instance
/// runs on (empty for one started before orchestrations had versions).
/// </summary>
public sealed record OrderView(PickupOrder Order, string? WorkflowStatus, BopisProgress? Progress, string? WorkflowVersion = null);
