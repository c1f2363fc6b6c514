using P = Microsoft.DurableTask.Protobuf;

namespace OmniChannel.Workflows.Tests.Versioning;

/// <summary>One orchestrator episode: what the engine sent the worker, and what the worker answered.</summary>
public sealed record RecordedEpisode(P.OrchestratorRequest Request, P.OrchestratorResponse Response);
