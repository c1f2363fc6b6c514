using OmniChannel.Core;

namespace OmniChannel.Workflows.Tests.Versioning;

/// <summary>
/// Every recorded history (<see cref="HistoryRecordingTests"/>) replayed against today's orchestrators: an instance in
/// flight at that point, on the version it started with, must go on exactly as it would have on the code that recorded
/// it. No engine, no timers: each fixture is one call of the runner the Functions host uses.
/// </summary>
public sealed class HistoryReplayTests
{
    public static TheoryData<string> Fixtures() => new(FixturePaths());

    /// <summary>Each fixture's path below the fixtures' folder, with forward slashes.</summary>
    private static IEnumerable<string> FixturePaths() =>
        Directory.EnumerateFiles(FixtureRoot, "*.json", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(FixtureRoot, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    private static string FixtureRoot => Path.Combine(AppContext.BaseDirectory, HistoryFixture.Folder);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Replay_RecordedHistory_TodaysCodeTakesTheSameNextSteps(string fixture)
    {
        var recorded = HistoryFixture.Load(Path.Combine(FixtureRoot, fixture));

        var replayed = HistoryReplay.Run(recorded);

        // A step added, removed or moved before this point fails the replay itself (non-deterministic orchestration).
        Assert.True(HistoryReplay.Failure(replayed) is null || HistoryReplay.Failure(recorded.Response) is not null, $"{fixture}: the replay failed: {HistoryReplay.Failure(replayed)}");

        // What the instance does next (the steps it schedules, its timers, its end) is what the history will expect.
        Assert.Equal(recorded.Response.Actions.Select(HistoryReplay.Describe).ToList(), replayed.Actions.Select(HistoryReplay.Describe).ToList());
        Assert.True(HistoryReplay.Covers(HistoryReplay.Output(recorded.Response), HistoryReplay.Output(replayed)), $"{fixture}: the output differs: recorded {HistoryReplay.Output(recorded.Response)}, replayed {HistoryReplay.Output(replayed)}");
        Assert.True(HistoryReplay.Covers(recorded.Response.CustomStatus, replayed.CustomStatus), $"{fixture}: the custom status differs: recorded {recorded.Response.CustomStatus}, replayed {replayed.CustomStatus}");
    }

    [Fact]
    public void Fixtures_EveryVersionStillRunning_HasRecordedHistories_AndNoRetiredVersionHasAny()
    {
        var recorded = FixturePaths().Select(path => string.Join('/', path.Split('/')[..2])).ToHashSet(StringComparer.Ordinal);
        var running = WorkflowVersions.Orchestrations
            .SelectMany(name => WorkflowVersions.Versions(name).Select(version => $"{name}/{HistoryFixture.VersionFolder(version)}"))
            .ToHashSet(StringComparer.Ordinal);

        // A new version needs its histories recorded; a retired one takes its histories (and its branches) with it.
        Assert.Equal(running.Order(StringComparer.Ordinal), recorded.Order(StringComparer.Ordinal));
        Assert.Equal(WorkflowVersions.Orchestrations.Order(StringComparer.Ordinal), HistoryReplay.Orchestrators.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Fixtures_RecordedFromVersionedStarts_CarryTheVersionInTheirStartEvent()
    {
        foreach (var path in FixturePaths())
        {
            var fixture = HistoryFixture.Load(Path.Combine(FixtureRoot, path));
            var started = fixture.Request.PastEvents.Select(historyEvent => historyEvent.ExecutionStarted).First(startedEvent => startedEvent is not null);

            Assert.Equal(fixture.Version, started.Version ?? WorkflowVersions.Unversioned);
            Assert.Equal(HistoryFixture.VersionFolder(fixture.Version), path.Split('/')[1]);
        }
    }
}
