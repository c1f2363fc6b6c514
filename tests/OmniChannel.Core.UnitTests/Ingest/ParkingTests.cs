using OmniChannel.Core.Ingest;
using OmniChannel.Core.UnitTests.Builders;
using OmniChannel.Core.UnitTests.Fakes;

namespace OmniChannel.Core.UnitTests.Ingest;

/// <summary>Cosmos DB down for longer than the budget: the batch is parked, not lost, and a replay applies it once.</summary>
public sealed class ParkingTests
{
    private static readonly DateTimeOffset T0 = TestClock.Now.AddHours(-1);

    private static IngestOptions Budget() => new() { TransientBackoff = TimeSpan.FromSeconds(1), MaxTransientBackoff = TimeSpan.FromSeconds(4), ParkAfter = TimeSpan.FromSeconds(30), TransientRetries = 0 };

    [Fact]
    public async Task StorageDownPastTheBudget_ParksTheWholeBatch_ThenAReplayAppliesItOnce()
    {
        var harness = new IngestHarness(Budget(), parking: true);
        harness.Events.TransientFaults = int.MaxValue;
        var events = new[]
        {
            CloudEventBuilder.View().WithId("e-1").WithTime(T0),
            CloudEventBuilder.View("SKU-2").WithId("e-2").WithTime(T0.AddMinutes(1)),
            CloudEventBuilder.Adjustment("0001", "SKU-1", 4).WithId("e-3").WithTime(T0.AddMinutes(2)),
        };

        var ingest = harness.Service.IngestAsync(IngestHarness.Messages(events), CancellationToken.None);
        var report = await RunClockUntilAsync(harness, ingest);

        Assert.Equal(new IngestReport(3, 0, 0, 0, 0, 0, 0, Parked: 3), report);
        var parked = Assert.Single(harness.Parked.Batches);
        Assert.Equal(("0-0-2", 3), (parked.Id, parked.Messages.Count));
        Assert.Contains("Storage unavailable for 30 s", parked.Reason, StringComparison.Ordinal);
        Assert.True(harness.Clock.GetUtcNow() - TestClock.Now >= TimeSpan.FromSeconds(30), "parked before the budget was spent");
        Assert.Equal(0, harness.Events.DocumentsWritten);

        harness.Events.TransientFaults = 0;
        var replay = await harness.Replayer.ReplayAsync(CancellationToken.None);
        Assert.Equal(new ParkedReplayReport(1, 3, 0, null), replay);
        Assert.Equal(3, harness.Events.DocumentsWritten);
        Assert.Equal(4, harness.Inventory.Get("0001", "SKU-1")!.OnHand);

        // A second replay finds nothing; replaying the same batch again (parked twice) changes nothing either.
        Assert.Equal(new ParkedReplayReport(0, 0, 0, null), await harness.Replayer.ReplayAsync(CancellationToken.None));
        await harness.Parked.ParkAsync(parked, CancellationToken.None);
        await harness.Replayer.ReplayAsync(CancellationToken.None);
        Assert.Equal(3, harness.Events.DocumentsWritten);
        Assert.Equal(4, harness.Inventory.Get("0001", "SKU-1")!.OnHand);
    }

    [Fact]
    public async Task AReplayWhileStorageIsStillDown_KeepsTheBatchParked_AndSaysWhy()
    {
        var harness = new IngestHarness(Budget(), parking: true);
        harness.Events.TransientFaults = int.MaxValue;
        await RunClockUntilAsync(harness, harness.Service.IngestAsync(IngestHarness.Messages(CloudEventBuilder.View().WithId("e-1").WithTime(T0)), CancellationToken.None));

        var replay = await harness.Replayer.ReplayAsync(CancellationToken.None);

        Assert.Equal((0, 0, 1), (replay.Batches, replay.Events, replay.Remaining));
        Assert.Contains("stay parked", replay.Error, StringComparison.Ordinal);
        Assert.Single(harness.Parked.Batches);
    }

    [Fact]
    public async Task AFaultShorterThanTheBudget_IsRetriedInPlace_NothingParked()
    {
        var harness = new IngestHarness(Budget(), parking: true);
        harness.Events.TransientFaults = 3;

        var report = await RunClockUntilAsync(harness, harness.Service.IngestAsync(IngestHarness.Messages(CloudEventBuilder.View().WithId("e-1").WithTime(T0)), CancellationToken.None));

        Assert.Equal((1, 0), (report.Stored, report.Parked));
        Assert.Empty(harness.Parked.Batches);
    }

    /// <summary>Moves the fake clock a second at a time so ingest's back-off delays elapse, until the call completes.</summary>
    private static async Task<T> RunClockUntilAsync<T>(IngestHarness harness, Task<T> task)
    {
        for (var step = 0; step < 600 && !task.IsCompleted; step++)
        {
            await Task.Delay(1);
            harness.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        return await task;
    }
}
