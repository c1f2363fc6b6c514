using System.Text.Json.Nodes;
using OmniChannel.Core.Profiles;
using OmniChannel.Core.Remarketing;

namespace OmniChannel.WebConsole.Services;

/// <summary>
/// What the rule form edits: the fields of <see cref="RemarketingRule"/> in the shapes inputs bind to (text lists,
/// time pickers). It only converts; the rules themselves are checked by the server (RuleRequests), whose messages the
/// page shows beside each field.
/// </summary>
public sealed class RuleForm
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public bool Enabled { get; set; } = true;
    public int Priority { get; set; }
    public RemarketingSignal Signal { get; set; } = RemarketingSignal.GeofenceEntered;
    public string Skus { get; set; } = "";
    public string Categories { get; set; } = "";
    public decimal? MinCartValue { get; set; }
    public HashSet<JourneyStage> JourneyStages { get; } = [];
    public int? ViewedWithinDays { get; set; }
    public int RadiusMeters { get; set; } = 1000;
    public string Stores { get; set; } = "";
    public OfferKind OfferKind { get; set; } = OfferKind.Percent;
    public decimal OfferValue { get; set; } = 10;
    public decimal MinSpend { get; set; }
    public int ValidHours { get; set; } = 48;
    public int CapCoupons { get; set; } = 1;
    public int CapPerDays { get; set; } = 7;
    public int? DailyBudget { get; set; }
    public int? DwellMinutes { get; set; }
    public int? MaxSignalAgeMinutes { get; set; }
    public bool OnlyWhenStoreOpen { get; set; }
    public bool HasQuietHours { get; set; }
    public QuietHoursAtSend AtSendInQuietHours { get; set; }
    public TimeOnly QuietFrom { get; set; } = new(21, 0);
    public TimeOnly QuietTo { get; set; } = new(8, 0);
    public int HoldoutPercent { get; set; }
    public int AttributionDays { get; set; } = RemarketingRule.DefaultAttributionDays;

    public static RuleForm From(RemarketingRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var form = new RuleForm
        {
            Id = rule.Id,
            Name = rule.Name,
            Enabled = rule.Enabled,
            Priority = rule.Priority,
            Signal = rule.Signal,
            Skus = string.Join(", ", rule.Conditions.Skus),
            Categories = string.Join(", ", rule.Conditions.Categories),
            MinCartValue = rule.Conditions.MinCartValue,
            ViewedWithinDays = rule.Conditions.ViewedWithinDays,
            RadiusMeters = rule.RadiusMeters,
            Stores = string.Join(", ", rule.Stores),
            OfferKind = rule.Offer.Kind,
            OfferValue = rule.Offer.Value,
            MinSpend = rule.Offer.MinSpend,
            ValidHours = rule.Offer.ValidHours,
            CapCoupons = rule.FrequencyCap.Coupons,
            CapPerDays = rule.FrequencyCap.PerDays,
            DailyBudget = rule.DailyBudget,
            DwellMinutes = rule.DwellMinutes,
            MaxSignalAgeMinutes = rule.MaxSignalAgeMinutes,
            OnlyWhenStoreOpen = rule.OnlyWhenStoreOpen,
            AtSendInQuietHours = rule.AtSendInQuietHours,
            HasQuietHours = rule.QuietHours is not null,
            QuietFrom = rule.QuietHours?.From ?? new TimeOnly(21, 0),
            QuietTo = rule.QuietHours?.To ?? new TimeOnly(8, 0),
            HoldoutPercent = rule.HoldoutPercent,
            AttributionDays = rule.AttributionDays,
        };
        form.JourneyStages.UnionWith(rule.Conditions.JourneyStages);
        return form;
    }

    /// <summary>The request body, written by the same code the server uses to answer rules (RuleJson).</summary>
    public JsonObject ToJson() => RuleJson.Write(new RemarketingRule(
        Id,
        Name,
        Enabled,
        Priority,
        Signal,
        new RuleConditions(List(Skus), List(Categories), MinCartValue, [.. JourneyStages.Order()], ViewedWithinDays),
        RadiusMeters,
        List(Stores),
        new Offer(OfferKind, OfferValue, MinSpend, ValidHours),
        new FrequencyCap(CapCoupons, CapPerDays),
        HasQuietHours ? new QuietHours(QuietFrom, QuietTo) : null,
        HoldoutPercent,
        AttributionDays)
    {
        DailyBudget = DailyBudget,
        // Each kind of signal keeps only its own option, so switching a rule's signal in the form leaves no stale one behind.
        DwellMinutes = Signal == RemarketingSignal.GeofenceEntered ? DwellMinutes : null,
        MaxSignalAgeMinutes = Signal == RemarketingSignal.GeofenceEntered ? null : MaxSignalAgeMinutes,
        AtSendInQuietHours = AtSendInQuietHours,
        OnlyWhenStoreOpen = OnlyWhenStoreOpen,
    });

    /// <summary>A rule id from its name for a new rule whose id was left blank: "Walk-in 10% off" → "walk-in-10-off".</summary>
    public static string SuggestId(string name)
    {
        var slug = new string([.. (name ?? "").Trim().ToLowerInvariant().Select(character => char.IsAsciiLetterOrDigit(character) ? character : '-')]);
        while (slug.Contains("--", StringComparison.Ordinal))
        {
            slug = slug.Replace("--", "-", StringComparison.Ordinal);
        }

        slug = slug.Trim('-');
        return slug.Length > 64 ? slug[..64].TrimEnd('-') : slug;
    }

    private static List<string> List(string text) =>
        [.. text.Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}

/// <summary>A rule as the API answers it, with the ETag a change must send back in If-Match.</summary>
public sealed record StoredRule(RemarketingRule Rule, string ETag)
{
    /// <summary>Reads the API's rule JSON with the server's own reader, so both sides agree on every field.</summary>
    public static StoredRule? Read(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var id = json["id"]?.GetValue<string>() ?? "";
        var (rule, _) = RuleRequests.ReadRule(id, json);
        return rule is null ? null : new StoredRule(rule, json["etag"]?.GetValue<string>() ?? "");
    }
}
