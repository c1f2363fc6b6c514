namespace OmniChannel.Workflows.Bopis;

/// <summary>The input of the activities that only need to know which order (they read the rest from the order store).</summary>
public sealed record OrderRef(string OrderId);
