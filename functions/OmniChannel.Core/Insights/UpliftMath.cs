namespace OmniChannel.Core.Insights;

/// <summary>
/// A group's per-customer sales from counters: the number of customers, the sum of their window totals and the sum
/// of squares of those totals give the mean and the sample variance without keeping each customer's figure.
/// </summary>
public readonly record struct GroupMoments(long Customers, decimal Sum, decimal SumOfSquares)
{
    public double? Mean => Customers == 0 ? null : (double)Sum / Customers;

    /// <summary>The sample variance (n − 1), null below two customers; never negative (rounding of the sums).</summary>
    public double? Variance => Customers < 2 ? null : Math.Max(0, ((double)SumOfSquares - ((double)Sum * (double)Sum / Customers)) / (Customers - 1));
}

/// <summary>The treated group's sales per customer minus the held-out group's, with a 95 % confidence interval.</summary>
public sealed record UpliftEstimate(double Uplift, double Low, double High, double StandardError);

/// <summary>
/// Uplift of a rule: difference of mean sales per customer, treated minus held out, with a 95 % interval from the
/// normal approximation and Welch's unequal-variance standard error, √(s²ₜ/nₜ + s²ₕ/nₕ) (z = 1.96).
/// </summary>
public static class UpliftMath
{
    /// <summary>The two-sided 95 % quantile of the standard normal distribution.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>Null until each group has two customers (a variance needs two).</summary>
    public static UpliftEstimate? Estimate(GroupMoments treated, GroupMoments heldOut)
    {
        if (treated.Variance is not { } treatedVariance || heldOut.Variance is not { } heldOutVariance)
        {
            return null;
        }

        var uplift = treated.Mean!.Value - heldOut.Mean!.Value;
        var standardError = Math.Sqrt((treatedVariance / treated.Customers) + (heldOutVariance / heldOut.Customers));
        return new UpliftEstimate(uplift, uplift - (Z95 * standardError), uplift + (Z95 * standardError), standardError);
    }
}
