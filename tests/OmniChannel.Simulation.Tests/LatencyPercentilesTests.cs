namespace OmniChannel.Simulation.Tests;

/// <summary>The latency percentiles (HdrHistogram) of known sets of latencies.</summary>
public sealed class LatencyPercentilesTests
{
    [Fact]
    public void From_OneToAHundredMilliseconds_NearestRankToHdrHistogramPrecision()
    {
        var percentiles = LatencyPercentiles.From(Enumerable.Range(1, 100).Select(ms => TimeSpan.FromMilliseconds(ms)).Reverse());

        // HdrHistogram with three significant digits: at most 0.1% above the latency that really happened.
        Assert.Equal(100, percentiles.Count);
        Assert.InRange(percentiles.P50Milliseconds, 50, 50.05);
        Assert.InRange(percentiles.P90Milliseconds, 90, 90.09);
        Assert.InRange(percentiles.P99Milliseconds, 99, 99.099);
        Assert.InRange(percentiles.MaxMilliseconds, 100, 100.1);
        Assert.Equal("p50 50 ms, p90 90 ms, p99 99 ms, max 100 ms (100 orders)", percentiles.ToString());
        Assert.Equal(LatencyPercentiles.Empty, LatencyPercentiles.From([]));
    }

    [Fact]
    public void From_NineHundredNinetyFastAndTenSlow_TheTailShowsOnlyAtTheMax()
    {
        var latencies = Enumerable.Repeat(TimeSpan.FromMilliseconds(2), 990).Concat(Enumerable.Repeat(TimeSpan.FromMilliseconds(250), 10));

        var percentiles = LatencyPercentiles.From(latencies);

        Assert.Equal(1000, percentiles.Count);
        Assert.All([percentiles.P50Milliseconds, percentiles.P90Milliseconds, percentiles.P99Milliseconds], latency => Assert.InRange(latency, 2, 2.002));
        Assert.InRange(percentiles.MaxMilliseconds, 250, 250.25);
        Assert.Equal("p50 2 ms, p90 2 ms, p99 2 ms, max 250 ms (1,000 orders)", percentiles.ToString());
    }

    [Fact]
    public void Percentile_OfAUniformSpread_IsWithinAThousandth()
    {
        var histogram = LatencyPercentiles.Histogram();
        for (var microseconds = 1; microseconds <= 100_000; microseconds++)
        {
            LatencyPercentiles.Record(histogram, microseconds / 1_000.0);
        }

        foreach (var (fraction, expected) in new[] { (0.5, 50.0), (0.9, 90.0), (0.99, 99.0), (0.999, 99.9), (1.0, 100.0) })
        {
            Assert.InRange(LatencyPercentiles.Percentile(histogram, fraction), expected, expected * 1.001);
        }

        Assert.Equal(100_000, histogram.TotalCount);
    }

    [Fact]
    public void Histograms_AddUp_AsASoakTakesItsStepsAndItsRun()
    {
        var fast = LatencyPercentiles.Histogram();
        var slow = LatencyPercentiles.Histogram();
        for (var i = 0; i < 98; i++)
        {
            LatencyPercentiles.Record(fast, 10);
        }

        LatencyPercentiles.Record(slow, 400);
        LatencyPercentiles.Record(slow, 800);
        var run = LatencyPercentiles.Histogram();
        run.Add(fast);
        run.Add(slow);

        Assert.Equal(100, run.TotalCount);
        Assert.InRange(LatencyPercentiles.Percentile(run, 0.98), 10, 10.01);
        Assert.InRange(LatencyPercentiles.Percentile(run, 0.99), 400, 400.4);
        Assert.InRange(LatencyPercentiles.Percentile(run, 1), 800, 800.8);
    }

    [Fact]
    public void Empty_AndOutOfRange_AreSafe()
    {
        var histogram = LatencyPercentiles.Histogram();

        Assert.Equal(0, LatencyPercentiles.Percentile(histogram, 0.99));
        Assert.Equal(LatencyPercentiles.Empty, LatencyPercentiles.From(histogram));
        Assert.Equal("no orders", LatencyPercentiles.Empty.ToString());

        LatencyPercentiles.Record(histogram, TimeSpan.FromDays(3).TotalMilliseconds);
        LatencyPercentiles.Record(histogram, -1);

        Assert.Equal(2, histogram.TotalCount);
        Assert.InRange(LatencyPercentiles.Percentile(histogram, 1), TimeSpan.FromDays(1).TotalMilliseconds, TimeSpan.FromDays(1).TotalMilliseconds * 1.001);
    }
}
