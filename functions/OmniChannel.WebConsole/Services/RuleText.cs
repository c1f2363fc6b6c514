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
