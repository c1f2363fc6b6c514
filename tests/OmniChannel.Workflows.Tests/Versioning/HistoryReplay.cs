using System.Globalization;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker.Grpc;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Prices;
using OmniChannel.Core.Remarketing;
using OmniChannel.Workflows.Bopis;
using OmniChannel.Workflows.Prices;
using OmniChannel.Workflows.Remarketing;
using P = Microsoft.DurableTask.Protobuf;

namespace OmniChannel.Workflows.Tests.Versioning;

/// <summary>
/// Replays a recorded work item against today's orchestrator code the way the Functions host runs every episode
/// (<see cref="GrpcOrchestrationRunner"/>: the past events replayed, then the new ones, on the SDK's own executor), and
/// describes the answer so two answers compare as text.
/// </summary>
public static class HistoryReplay
{
    /// <summary>Every orchestration the hosts register, by name, as today's code builds it.</summary>
    public static IReadOnlyDictionary<string, Func<ITaskOrchestrator>> Orchestrators { get; } = new Dictionary<string, Func<ITaskOrchestrator>>(StringComparer.Ordinal)
    {
        [BopisWorkflow.OrchestrationName] = () => new BopisFulfillment(),
        [PriceFanOut.OrchestrationName] = () => new PriceChangeFanOut(),
        [RemarketingWorkflow.OrchestrationName] = () => new ProximityRemarketing(),
    };

    public static P.OrchestratorResponse Run(HistoryFixture fixture)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        var orchestrator = Orchestrators[fixture.Orchestration]();
        var answer = GrpcOrchestrationRunner.LoadAndRun(fixture.Request.ToByteString().ToBase64(), orchestrator);
        return P.OrchestratorResponse.Parser.ParseFrom(Convert.FromBase64String(answer));
    }

    /// <summary>The action as the engine will hold the orchestrator to it on the next replay: its kind, sequence id and target.</summary>
    public static string Describe(P.OrchestratorAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return action.OrchestratorActionTypeCase switch
        {
            P.OrchestratorAction.OrchestratorActionTypeOneofCase.ScheduleTask => $"#{action.Id} activity {action.ScheduleTask.Name}",
            P.OrchestratorAction.OrchestratorActionTypeOneofCase.CreateTimer =>
                $"#{action.Id} timer at {action.CreateTimer.FireAt.ToDateTimeOffset().ToString("O", CultureInfo.InvariantCulture)}",
            P.OrchestratorAction.OrchestratorActionTypeOneofCase.CreateSubOrchestration =>
                $"#{action.Id} sub-orchestration {action.CreateSubOrchestration.Name} {action.CreateSubOrchestration.InstanceId}",
            P.OrchestratorAction.OrchestratorActionTypeOneofCase.SendEvent => $"#{action.Id} event {action.SendEvent.Name} to {action.SendEvent.Instance?.InstanceId}",
            P.OrchestratorAction.OrchestratorActionTypeOneofCase.CompleteOrchestration => $"#{action.Id} end {action.CompleteOrchestration.OrchestrationStatus}",
            _ => $"#{action.Id} {action.OrchestratorActionTypeCase}",
        };
    }

    /// <summary>The failure that ended the replay (a non-deterministic replay ends this way), or null.</summary>
    public static string? Failure(P.OrchestratorResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Actions
            .Select(action => action.CompleteOrchestration)
            .Where(complete => complete is { OrchestrationStatus: P.OrchestrationStatus.Failed })
            .Select(complete => $"{complete.FailureDetails?.ErrorType}: {complete.FailureDetails?.ErrorMessage}")
            .FirstOrDefault();
    }

    /// <summary>The output the orchestrator returned, when the answer ends the instance.</summary>
    public static string? Output(P.OrchestratorResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Actions.Select(action => action.CompleteOrchestration).FirstOrDefault(complete => complete is not null)?.Result;
    }

    /// <summary>
    /// Whether <paramref name="replayed"/> says all that <paramref name="recorded"/> said: the same values at the same
    /// places; a property only the replayed JSON has must be null (a field added later, which old instances leave out).
    /// </summary>
    public static bool Covers(string? recorded, string? replayed)
    {
        if (recorded is null || replayed is null)
        {
            return recorded == replayed;
        }

        return Covers(JsonNode.Parse(recorded), JsonNode.Parse(replayed));
    }

    private static bool Covers(JsonNode? recorded, JsonNode? replayed) => (recorded, replayed) switch
    {
        (null, null) => true,
        (JsonObject before, JsonObject after) =>
            before.All(property => after.TryGetPropertyValue(property.Key, out var value) && Covers(property.Value, value))
            && after.Where(property => !before.ContainsKey(property.Key)).All(property => property.Value is null),
        (JsonArray before, JsonArray after) => before.Count == after.Count && before.Zip(after).All(pair => Covers(pair.First, pair.Second)),
        _ => JsonNode.DeepEquals(recorded, replayed),
    };
}
