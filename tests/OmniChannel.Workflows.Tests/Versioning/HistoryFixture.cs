using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using P = Microsoft.DurableTask.Protobuf;

namespace OmniChannel.Workflows.Tests.Versioning;

/// <summary>
/// A recorded point in a workflow's life, as a file: the engine's work item at that point (every past event of the
/// instance, then the new ones) and what the orchestrator then did (its actions and custom status). Protobuf JSON, the
/// wire format of the Durable Task gRPC protocol, so a diff of a re-recorded file reads as a change of history.
/// </summary>
/// <param name="Orchestration">The orchestration's registered name.</param>
/// <param name="Version">The version stamped on the instance when it started; empty for an instance started unversioned.</param>
/// <param name="Scenario">The file's name: where the instance stood when recorded.</param>
/// <param name="Point">The same, in words.</param>
public sealed record HistoryFixture(string Orchestration, string Version, string Scenario, string Point, P.OrchestratorRequest Request, P.OrchestratorResponse Response)
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithIndentation());
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Where the fixtures sit in the test output (and, under the test project, in the source).</summary>
    public const string Folder = "Versioning/Histories";

    /// <summary>The file's path below <see cref="Folder"/>: one folder per orchestration and per version.</summary>
    public string RelativePath => Path.Combine(Orchestration, VersionFolder(Version), Scenario + ".json");

    public static string VersionFolder(string version) => version.Length == 0 ? "unversioned" : "v" + version;

    /// <summary>A fixture of the episode, named by the instance's own start event.</summary>
    public static HistoryFixture Of(RecordedEpisode episode, string scenario, string point)
    {
        ArgumentNullException.ThrowIfNull(episode);
        var started = episode.Request.PastEvents.Concat(episode.Request.NewEvents)
            .Select(historyEvent => historyEvent.ExecutionStarted)
            .First(startedEvent => startedEvent is not null);
        return new HistoryFixture(started.Name, started.Version ?? string.Empty, scenario, point, episode.Request, episode.Response);
    }

    public static HistoryFixture Load(string path)
    {
        var file = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        return new HistoryFixture(
            (string)file["orchestration"]!,
            (string)file["version"]!,
            (string)file["scenario"]!,
            (string)file["point"]!,
            Parser.Parse<P.OrchestratorRequest>(file["request"]!.ToJsonString()),
            Parser.Parse<P.OrchestratorResponse>(file["response"]!.ToJsonString()));
    }

    /// <summary>
    /// Writes the file; one that exists is replaced only when <paramref name="overwrite"/> says so: the histories of a
    /// released version are the record of what its instances in flight did, and recording them again from changed code
    /// would hide the very break the replay test is there to catch.
    /// </summary>
    public void Save(string folder, bool overwrite)
    {
        var path = Path.Combine(folder, RelativePath);
        if (File.Exists(path) && !overwrite)
        {
            throw new InvalidOperationException(
                $"{RelativePath} exists. Record a new version instead (README \"Changing a workflow safely\"); overwrite only the histories of a version no instance runs on yet.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var file = new JsonObject
        {
            ["orchestration"] = Orchestration,
            ["version"] = Version,
            ["scenario"] = Scenario,
            ["point"] = Point,
            ["request"] = JsonNode.Parse(Formatter.Format(Request)),
            ["response"] = JsonNode.Parse(Formatter.Format(Response)),
        };
        File.WriteAllText(path, file.ToJsonString(Indented) + Environment.NewLine);
    }
}
