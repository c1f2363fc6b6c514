using System.Globalization;
using OmniChannel.Core.Remarketing;

namespace OmniChannel.WebConsole.Services;

/// <summary>How the console words rule fields for people (display only; the wire names come from RuleJson).</summary>
public static class RuleText
{
    public static string Path(string ruleId) => "api/remarketing/rules/" + Uri.EscapeDataString(ruleId);

    public static string Signal(RemarketingSignal signal) => signal switch
    {
        RemarketingSignal.GeofenceEntered => "Walks near a store",
        RemarketingSignal.ProductViewed => "Views a product online",
        RemarketingSignal.CartAbandoned => "Abandons a cart online",
        _ => RuleEngine.SignalName(signal),
    };

    /// <summary>A journey stage as words: CartAbandoned → "cart abandoned".</summary>
    public static string Stage(OmniChannel.Core.Profiles.JourneyStage stage) =>
        string.Concat(stage.ToString().Select((character, index) => index > 0 && char.IsUpper(character) ? " " + char.ToLowerInvariant(character) : character.ToString()));

    public static string Offer(Offer offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        var what = offer.Kind == OfferKind.Percent
            ? $"{offer.Value.ToString("0.##", CultureInfo.InvariantCulture)}% off"
            : $"{offer.Value.ToString("0.00", CultureInfo.InvariantCulture)} off";
        var minimum = offer.MinSpend > 0 ? $" over {offer.MinSpend.ToString("0.00", CultureInfo.InvariantCulture)}" : "";
        return $"{what}{minimum}, {offer.ValidHours} h";
    }

    /// <summary>A rule's uplift as "+12.50 per customer (95 %: 1.20 to 23.80)"; why there is none yet otherwise.</summary>
    public static string Uplift(OmniChannel.Core.Insights.RuleUplift? uplift) => uplift switch
    {
        null => "—",
        { Uplift: { } value, UpliftLow: { } low, UpliftHigh: { } high } =>
            string.Create(CultureInfo.InvariantCulture, $"{value:+0.00;-0.00;0.00} per customer (95 %: {low:0.00} to {high:0.00})"),
        { HoldoutPercent: 0 } => "no holdout",
        _ => "needs 2 customers in each group",
    };

    /// <summary>Sales per customer of a group, or a dash when it has no customers.</summary>
    public static string PerCustomer(double? sales) => sales is { } value ? value.ToString("0.00", CultureInfo.InvariantCulture) : "—";
}

/// <summary>Addresses of the insights summary for a period.</summary>
public static class InsightsQuery
{
    public static string For(DateOnly from, DateOnly to) =>
        $"api/insights/summary?from={from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}&to={to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";

    public static string LastDays(int days, DateTime utcNow)
    {
        var today = DateOnly.FromDateTime(utcNow);
        return For(today.AddDays(1 - days), today);
    }
}
