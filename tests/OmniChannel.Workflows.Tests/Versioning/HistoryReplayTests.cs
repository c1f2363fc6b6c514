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
    public void Fixtures_EveryOrchestration_HasRecordedHistories()
    {
        var recorded = FixturePaths().Select(path => path.Split('/')[0]).ToHashSet(StringComparer.Ordinal);

        Assert.All(HistoryReplay.Orchestrators.Keys, name => Assert.Contains(name, recorded));
    }
}
