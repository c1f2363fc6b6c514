using System.Globalization;

namespace OmniChannel.Core.Insights;

/// <summary>
/// Durations in fixed, log-spaced buckets, so percentiles over any set of days come from adding bucket counts.
/// Bucket 0 holds up to 1 s; bucket i holds (2^((i-1)/4), 2^(i/4)] seconds, a quarter octave each (≈19 % wide);
/// the last bucket holds everything over 2^22 s (≈48 days). The bounds are part of the stored data: never change them.
/// </summary>
public sealed class DurationHistogram
{
    /// <summary>Buckets per doubling of the duration.</summary>
    public const int StepsPerOctave = 4;

    /// <summary>Index of the overflow bucket.</summary>
    public const int Overflow = 22 * StepsPerOctave + 1;

    private readonly long[] _counts = new long[Overflow + 1];

    public long Total { get; private set; }

    /// <summary>Upper bound of bucket <paramref name="index"/> in seconds (the overflow bucket has none).</summary>
    public static double UpperBound(int index) => Math.Pow(2, (double)index / StepsPerOctave);

    public static int BucketOf(double seconds) =>
        seconds <= 1 ? 0 : Math.Min(Overflow, (int)Math.Ceiling(StepsPerOctave * Math.Log2(seconds)));

    /// <summary>The histogram of the samples' durations; null when none has one (a metric without durations).</summary>
    public static DurationHistogram? Of(IEnumerable<InsightSample> samples)
    {
        DurationHistogram? histogram = null;
        foreach (var duration in samples.Select(sample => sample.Duration).OfType<TimeSpan>())
        {
            (histogram ??= new DurationHistogram()).Add(duration);
        }

        return histogram;
    }

    public void Add(TimeSpan duration)
    {
        _counts[BucketOf(Math.Max(0, duration.TotalSeconds))]++;
        Total++;
    }

    public void Merge(DurationHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var index = 0; index < _counts.Length; index++)
        {
            _counts[index] += other._counts[index];
        }

        Total += other.Total;
    }

    /// <summary>
    /// The duration in seconds below which a share <paramref name="quantile"/> (0..1) of the samples lie, interpolated
    /// linearly inside its bucket (so accurate to the bucket's width); null without samples. In the overflow bucket,
    /// its lower bound.
    /// </summary>
    public double? Percentile(double quantile)
    {
        if (Total == 0)
        {
            return null;
        }

        var rank = Math.Clamp(quantile, 0, 1) * Total;
        long below = 0;
        for (var index = 0; index < _counts.Length; index++)
        {
            var count = _counts[index];
            if (count > 0 && below + count >= rank)
            {
                var lower = index == 0 ? 0 : UpperBound(index - 1);
                if (index == Overflow)
                {
                    return lower;
                }

                return lower + ((UpperBound(index) - lower) * (rank - below) / count);
            }

            below += count;
        }

        return UpperBound(Overflow - 1);
    }

    /// <summary>The counts per bucket, comma-separated, trailing empty buckets left out (how the table stores it).</summary>
    public string ToText()
    {
        var last = Array.FindLastIndex(_counts, count => count != 0);
        return string.Join(',', _counts.Take(last + 1).Select(count => count.ToString(CultureInfo.InvariantCulture)));
    }

    public static DurationHistogram Parse(string? text)
    {
        var histogram = new DurationHistogram();
        if (string.IsNullOrEmpty(text))
        {
            return histogram;
        }

        var parts = text.Split(',');
        for (var index = 0; index < parts.Length && index < histogram._counts.Length; index++)
        {
            var count = long.Parse(parts[index], NumberStyles.None, CultureInfo.InvariantCulture);
            histogram._counts[index] = count;
            histogram.Total += count;
        }

        return histogram;
    }
}
