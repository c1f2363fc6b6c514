using System.Text.Json.Nodes;
using OmniChannel.Core.Events;
using OmniChannel.Core.Ingest;
using OmniChannel.Core.UnitTests.Builders;
using OmniChannel.Core.UnitTests.Fakes;

namespace OmniChannel.Core.UnitTests.Ingest;

/// <summary>Ingest reports every field outside the tracking plan: one row per source, type and field, counted.</summary>
public sealed class PlanViolationTests
{
    private static readonly DateTimeOffset T0 = TestClock.Now.AddHours(-1);

    [Fact]
    public async Task IngestAsync_UnknownFields_OneRowPerSourceTypeAndField_Counted()
    {
        var harness = new IngestHarness();

        await harness.IngestAsync(
            CloudEventBuilder.View().WithId("v-1").WithTime(T0).Data("colour", "red"),
            CloudEventBuilder.View().WithId("v-2").WithTime(T0.AddMinutes(5)).Data("colour", "blue").Data("size", "M"),
            CloudEventBuilder.Sale("0001", ("SKU-1", 1), ("SKU-2", 1)).WithId("s-1").WithTime(T0.AddMinutes(1))
                .EditData(data =>
                {
                    ((JsonObject)data["lines"]![0]!)["colour"] = "red";
                    ((JsonObject)data["lines"]![1]!)["colour"] = "red";
                }));
        await harness.IngestAsync(CloudEventBuilder.View().WithId("v-3").WithTime(T0.AddMinutes(2)).Data("colour", "green"));

        var rows = harness.Violations.Rows.OrderBy(row => row.Source + row.Field, StringComparer.Ordinal).ToList();
        Assert.Equal(
            [
                new PlanViolation("/pos/store/0001", EventTypes.PosSale, "data.lines[].colour", PlanViolation.UnplannedProperty, T0.AddMinutes(1), T0.AddMinutes(1), 1, "s-1"),
                new PlanViolation("/web", EventTypes.ProductViewed, "data.colour", PlanViolation.UnplannedProperty, T0, T0.AddMinutes(5), 3, "v-2"),
                new PlanViolation("/web", EventTypes.ProductViewed, "data.size", PlanViolation.UnplannedProperty, T0.AddMinutes(5), T0.AddMinutes(5), 1, "v-2"),
            ],
            rows);
        Assert.Equal(4, harness.Events.Events.Count);
    }

    [Fact]
    public async Task IngestAsync_NoUnknownField_DoesNotCallTheViolationStore()
    {
        var harness = new IngestHarness();

        await harness.IngestAsync(CloudEventBuilder.View(), CloudEventBuilder.Sale("0001", ("SKU-1", 1)));

        Assert.Equal(0, harness.Violations.Calls);
    }

    [Fact]
    public async Task IngestAsync_ViolationStoreFailsOnce_TheBatchIsRetried_AndTheRowCountedOnce()
    {
        var harness = new IngestHarness(new IngestOptions { TransientBackoff = TimeSpan.Zero, MaxTransientBackoff = TimeSpan.Zero });
        harness.Violations.Failures = 1;

        await harness.IngestAsync(CloudEventBuilder.View().WithId("v-1").WithTime(T0).Data("colour", "red"));

        Assert.Single(harness.Events.Events);
        Assert.Equal(1, Assert.Single(harness.Violations.Rows).Count);
        Assert.Equal(2, harness.Violations.Calls);
    }

    [Fact]
    public void Merge_KeepsTheEarliestFirstSeen_TheLatestExample_AndAddsTheCounts()
    {
        var earlier = new PlanViolation("/web", EventTypes.ProductViewed, "data.colour", PlanViolation.UnplannedProperty, T0, T0.AddMinutes(1), 2, "v-1");
        var later = earlier with { FirstSeen = T0.AddMinutes(3), LastSeen = T0.AddMinutes(4), Count = 5, ExampleEventId = "v-9" };

        Assert.Equal(earlier with { LastSeen = T0.AddMinutes(4), Count = 7, ExampleEventId = "v-9" }, earlier.Merge(later));
        Assert.Equal(earlier.Merge(later), later.Merge(earlier));
    }
}
