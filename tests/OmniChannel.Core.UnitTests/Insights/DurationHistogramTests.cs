using OmniChannel.Core.Insights;

namespace OmniChannel.Core.UnitTests.Insights;

public sealed class DurationHistogramTests
{
    /// <summary>A bucket is a quarter octave wide: a percentile is right to within that.</summary>
    private const double BucketError = 0.19;

    [Fact]
    public void Percentile_NoSamples_IsNull()
    {
        var histogram = new DurationHistogram();

        Assert.Equal((null, null, 0L), (histogram.Percentile(0.5), histogram.Percentile(0.9), histogram.Total));
    }

    [Fact]
    public void Percentile_OneToAHundredSeconds_P50AndP90WithinABucketOfTheTrueValues()
    {
        var histogram = Of(Enumerable.Range(1, 100).Select(seconds => (double)seconds));

        AssertNear(50, histogram.Percentile(0.5));
        AssertNear(90, histogram.Percentile(0.9));
        Assert.Equal(100, histogram.Total);
    }

    [Fact]
    public void Percentile_MostlyFastWithASlowTail_P90SeesTheTail()
    {
        // 80 orders ready in about 20 minutes, 20 after about 3 hours: the median is fast, p90 is slow.
        var histogram = Of(Enumerable.Repeat(1200.0, 80).Concat(Enumerable.Repeat(10800.0, 20)));

        AssertNear(1200, histogram.Percentile(0.5));
        AssertNear(10800, histogram.Percentile(0.9));
    }

    [Fact]
    public void Percentile_UnderASecondAndBeyondTheLastBucket_StayInTheirBuckets()
    {
        Assert.InRange(Of([0.2, 0.5]).Percentile(0.5)!.Value, 0, 1);
        Assert.Equal(DurationHistogram.UpperBound(DurationHistogram.Overflow - 1), Of([TimeSpan.FromDays(100).TotalSeconds]).Percentile(0.9));
    }

    [Fact]
    public void TextAndMerge_RoundTripAndAddUp_LikeOneHistogramOfEverySample()
    {
        var first = Of([3, 40, 40, 7200]);
        var second = Of([0.5, 40, 86400]);

        var merged = DurationHistogram.Parse(first.ToText());
        merged.Merge(DurationHistogram.Parse(second.ToText()));

        var all = Of([3, 40, 40, 7200, 0.5, 40, 86400]);
        Assert.Equal(all.ToText(), merged.ToText());
        Assert.Equal(7, merged.Total);
        Assert.Equal(all.Percentile(0.9), merged.Percentile(0.9));
        Assert.Equal(string.Empty, new DurationHistogram().ToText());
        Assert.Equal(0, DurationHistogram.Parse(null).Total);
    }

    private static DurationHistogram Of(IEnumerable<double> seconds)
    {
        var histogram = new DurationHistogram();
        foreach (var value in seconds)
        {
            histogram.Add(TimeSpan.FromSeconds(value));
        }

        return histogram;
    }

    private static void AssertNear(double expected, double? actual)
    {
        Assert.NotNull(actual);
        Assert.InRange(actual.Value, expected * (1 - BucketError), expected * (1 + BucketError));
    }
}
