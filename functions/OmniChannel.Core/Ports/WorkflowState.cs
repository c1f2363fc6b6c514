namespace OmniChannel.Core.Ports;

/// <summary>An orchestration instance as the engine reports it: its runtime status and its custom status as JSON.</summary>
public sealed record WorkflowState(string InstanceId, string RuntimeStatus, string? CustomStatusJson, DateTimeOffset? LastUpdatedAt, string? Version = null);
