using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OmniChannel.Core.Events;
using OmniChannel.Core.Profiles;
using OmniChannel.Core.Requests;

namespace OmniChannel.Core.Remarketing;

/// <summary>
/// Reads a rule as marketing writes it (the console and the API send the same JSON) and names every problem in words
/// a marketer can act on. One implementation: the console shows these messages beside the fields; it never re-checks.
/// </summary>
public static partial class RuleRequests
{
    public const int MaxListItems = 500;
    public const int MaxRadiusMeters = 50_000;

    /// <summary>
    /// The smallest radius: phones report location only to within roughly 50–100 m, and the operating systems' region
    /// monitoring (iOS region monitoring, Android geofencing) does not fire reliably for smaller regions.
    /// </summary>
    public const int MinRadiusMeters = 100;
    public const int MaxDailyBudget = 100_000;
    public const int MaxSignalAgeMinutes = 7 * 24 * 60;

    public static (RemarketingRule? Rule, IReadOnlyList<FieldError> Errors) ReadRule(string id, JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var errors = new List<FieldError>();
        if (!IdPattern().IsMatch(id))
        {
            errors.Add(new FieldError("id", "A rule id is 1–64 letters, digits, '.', '_' or '-' (it appears in the rule's address)."));
        }

        var name = JsonFields.Text(body, "name", "name", errors)?.Trim();
        if (errors.All(error => error.Field != "name") && (string.IsNullOrEmpty(name) || name.Length > 100))
        {
            errors.Add(new FieldError("name", "Give the rule a name (up to 100 characters) so colleagues know what it is for."));
        }

        var enabled = Bool(body, "enabled", true, errors);
        var priority = Int(body, "priority", 0, -1000, 1000, "'priority' is a whole number from -1000 to 1000; when several rules match, the highest wins.", errors);
        RemarketingSignal signal = default;
        var signalText = JsonFields.Text(body, "signal", "signal", errors);
        if (errors.All(error => error.Field != "signal") && !TryParseSignal(signalText, out signal))
        {
            errors.Add(new FieldError("signal", "Choose what the rule reacts to: 'geofence.entered' (walking near a store), 'product.viewed' or 'cart.abandoned'."));
        }

        var conditions = ReadConditions(body["conditions"], errors);
        var radius = Int(body, "radiusMeters", 1000, MinRadiusMeters, MaxRadiusMeters,
            $"'radiusMeters' is how close the store must be, from {MinRadiusMeters} to {MaxRadiusMeters:N0} metres. Not less than {MinRadiusMeters}: phones report their location only to within roughly 50–100 m and iOS and Android geofencing does not fire reliably for smaller regions, so a smaller radius would fire at random.", errors);
        var stores = Strings(body, "stores", "stores", "'stores' lists store ids (for example \"0001\"); leave it empty for every store.", errors);
        var offer = ReadOffer(body["offer"], errors);
        var cap = ReadCap(body["frequencyCap"], errors);
        var quiet = ReadQuietHours(body["quietHours"], errors);
        var holdout = Int(body, "holdoutPercent", 0, 0, RemarketingOptions.MaxHoldoutPercent,
            $"'holdoutPercent' is the share of eligible customers who get nothing so the rule's effect can be measured: a whole number from 0 to {RemarketingOptions.MaxHoldoutPercent} (0 holds nobody out).", errors);
        var attributionDays = Int(body, "attributionDays", RemarketingRule.DefaultAttributionDays, 1, RemarketingRule.MaxAttributionDays,
            $"'attributionDays' is how many days after the signal a customer's purchases count for the rule: a whole number from 1 to {RemarketingRule.MaxAttributionDays}.", errors);

        int? maxAge = null;
        if (body["maxSignalAgeMinutes"] is not null)
        {
            maxAge = Int(body, "maxSignalAgeMinutes", 0, 1, MaxSignalAgeMinutes, $"'maxSignalAgeMinutes' is how old an online signal may be to fire, from 1 to {MaxSignalAgeMinutes} minutes (a week).", errors);
            if (signal == RemarketingSignal.GeofenceEntered && errors.All(error => error.Field != "maxSignalAgeMinutes"))
            {
                errors.Add(new FieldError("maxSignalAgeMinutes", "Leave 'maxSignalAgeMinutes' out for geofence rules: a walk past a store is stale after OmniChannel:Remarketing:MaxGeofenceSignalAge (15 minutes by default), whatever the rule."));
            }
        }

        int? dailyBudget = null;
        if (body["dailyBudget"] is not null)
        {
            dailyBudget = Int(body, "dailyBudget", 0, 1, MaxDailyBudget,
                $"'dailyBudget' is the most coupons the rule issues in a day (UTC), all customers together: a whole number from 1 to {MaxDailyBudget:N0}; leave it out for no budget.", errors);
        }

        int? dwell = null;
        if (body["dwellMinutes"] is not null)
        {
            dwell = Int(body, "dwellMinutes", 0, 1, RemarketingRule.MaxDwellMinutes,
                $"'dwellMinutes' is how long the customer must stay near the store before the rule fires: a whole number from 1 to {RemarketingRule.MaxDwellMinutes}; leave it out to fire on entry.", errors);
            if (signal != RemarketingSignal.GeofenceEntered && errors.All(error => error.Field is not ("dwellMinutes" or "signal")))
            {
                errors.Add(new FieldError("dwellMinutes", "Only geofence rules have a dwell time: an online signal has no store to stay near. Leave 'dwellMinutes' out."));
            }
        }

        var onlyWhenOpen = Bool(body, "onlyWhenStoreOpen", false, errors);
        var atSend = QuietHoursAtSend.Drop;
        var atSendErrors = errors.Count;
        switch (JsonFields.Text(body, "quietHoursAtSend", "quietHoursAtSend", errors))
        {
            case null or "drop":
                break;
            case "wait":
                atSend = QuietHoursAtSend.Wait;
                break;
            default:
                if (errors.Count == atSendErrors)
                {
                    errors.Add(new FieldError("quietHoursAtSend", "'quietHoursAtSend' is 'drop' (a push due in quiet hours is not sent) or 'wait' (it is sent when they end, if the coupon is still valid)."));
                }

                break;
        }

        return errors.Count > 0
            ? (null, errors)
            : (new RemarketingRule(id, name!, enabled, priority, signal, conditions, radius, stores, offer!, cap!, quiet, holdout, attributionDays) { MaxSignalAgeMinutes = maxAge, AtSendInQuietHours = atSend, DailyBudget = dailyBudget, DwellMinutes = dwell, OnlyWhenStoreOpen = onlyWhenOpen }, errors);
    }

    public static bool TryParseSignal(string? text, out RemarketingSignal signal)
    {
        (var known, signal) = text switch
        {
            "geofence.entered" => (true, RemarketingSignal.GeofenceEntered),
            "product.viewed" => (true, RemarketingSignal.ProductViewed),
            "cart.abandoned" => (true, RemarketingSignal.CartAbandoned),
            _ => (false, default),
        };
        return known;
    }

    private static RuleConditions ReadConditions(JsonNode? node, List<FieldError> errors)
    {
        if (node is null)
        {
            return RuleConditions.Any;
        }

        if (node is not JsonObject conditions)
        {
            errors.Add(JsonFields.TypeError("conditions", "an object: skus, categories, minCartValue, journeyStages, viewedWithinDays (all optional)", node));
            return RuleConditions.Any;
        }

        var skus = Strings(conditions, "skus", "conditions.skus", "'skus' lists product SKUs; leave it empty for any product.", errors);
        var categories = Strings(conditions, "categories", "conditions.categories", "'categories' lists product categories; leave it empty for any category.", errors);
        decimal? minCart = null;
        if (conditions["minCartValue"] is { } minNode)
        {
            minCart = JsonFields.Amount(minNode, "conditions.minCartValue", errors);
            if (minCart is < 0)
            {
                errors.Add(new FieldError("conditions.minCartValue", "'minCartValue' is an amount of 0 or more (for example \"50\")."));
            }
        }

        var stages = new List<JourneyStage>();
        foreach (var stageText in Strings(conditions, "journeyStages", "conditions.journeyStages", "'journeyStages' lists stages such as browsing, considering, cart, cartAbandoned.", errors))
        {
            if (Enum.TryParse<JourneyStage>(stageText, ignoreCase: true, out var stage) && !int.TryParse(stageText, out _) && stage != JourneyStage.Unknown)
            {
                stages.Add(stage);
            }
            else
            {
                errors.Add(new FieldError("conditions.journeyStages", $"'{stageText}' is not a journey stage; use {string.Join(", ", Enum.GetNames<JourneyStage>().Skip(1).Select(Camel))}."));
            }
        }

        int? viewedWithin = null;
        if (conditions["viewedWithinDays"] is { } daysNode)
        {
            if (!JsonFields.IsNumber(daysNode))
            {
                errors.Add(JsonFields.TypeError("conditions.viewedWithinDays", "a whole number of days", daysNode));
            }
            else if (JsonFields.TryWhole(daysNode, out var days) && days is >= 1 and <= 365)
            {
                viewedWithin = days;
            }
            else
            {
                errors.Add(new FieldError("conditions.viewedWithinDays", "'viewedWithinDays' is a number of days from 1 to 365."));
            }
        }

        return new RuleConditions(skus, categories, minCart, stages, viewedWithin);
    }

    private static Offer? ReadOffer(JsonNode? node, List<FieldError> errors)
    {
        if (node is not JsonObject offer)
        {
            errors.Add(node is null
                ? new FieldError("offer", "Describe the coupon in 'offer': kind (percent or amount), value, minSpend and validHours.")
                : JsonFields.TypeError("offer", "an object: kind (percent or amount), value, minSpend and validHours", node));
            return null;
        }

        var before = errors.Count;
        var kindText = JsonFields.Text(offer, "kind", "offer.kind", errors);
        var kind = kindText switch
        {
            "percent" => OfferKind.Percent,
            "amount" => OfferKind.Amount,
            _ => (OfferKind?)null,
        };
        if (kind is null && errors.All(error => error.Field != "offer.kind"))
        {
            errors.Add(new FieldError("offer.kind", "'kind' is 'percent' (a share off) or 'amount' (money off)."));
        }

        var value = JsonFields.RequiredAmount(offer, "value", "offer.value", "the discount", errors);
        if (value is { } discount && (discount <= 0 || (kind == OfferKind.Percent && discount > 90)))
        {
            errors.Add(new FieldError("offer.value", kind == OfferKind.Percent
                ? "A percentage off is more than 0 and at most 90."
                : "'value' is the discount: more than 0."));
        }

        var minSpend = offer["minSpend"] is { } minNode ? JsonFields.Amount(minNode, "offer.minSpend", errors) : 0m;
        if (minSpend is < 0)
        {
            errors.Add(new FieldError("offer.minSpend", "'minSpend' is the smallest purchase the coupon applies to: 0 or more."));
        }
        else if (kind == OfferKind.Amount && value is > 0 && minSpend > 0 && value >= minSpend)
        {
            errors.Add(new FieldError("offer.minSpend", "An amount off must be less than the minimum spend, or the store pays the customer."));
        }

        var validHours = 0;
        if (offer["validHours"] is { } hoursNode && !JsonFields.IsNumber(hoursNode))
        {
            errors.Add(JsonFields.TypeError("offer.validHours", "a whole number of hours", hoursNode));
        }
        else if (!JsonFields.TryWhole(offer["validHours"], out validHours) || validHours is < 1 or > 24 * 90)
        {
            errors.Add(new FieldError("offer.validHours", "'validHours' is how long the coupon can be used: 1 hour to 90 days (2160 hours)."));
        }

        return errors.Count > before ? null : new Offer(kind!.Value, value!.Value, minSpend!.Value, validHours);
    }

    private static FrequencyCap? ReadCap(JsonNode? node, List<FieldError> errors)
    {
        if (node is null)
        {
            return new FrequencyCap(1, 7);
        }

        if (node is not JsonObject cap)
        {
            errors.Add(JsonFields.TypeError("frequencyCap", "an object {coupons, perDays}", node));
            return null;
        }

        var typeErrors = new[] { "coupons", "perDays" }
            .Where(name => cap[name] is { } part && !JsonFields.IsNumber(part))
            .Select(name => JsonFields.TypeError("frequencyCap." + name, "a whole number", cap[name]))
            .ToList();
        if (typeErrors.Count > 0)
        {
            errors.AddRange(typeErrors);
            return null;
        }

        if (JsonFields.TryWhole(cap["coupons"], out var coupons) && coupons is >= 1 and <= 100
            && JsonFields.TryWhole(cap["perDays"], out var days) && days is >= 1 and <= 365)
        {
            return new FrequencyCap(coupons, days);
        }

        errors.Add(new FieldError("frequencyCap", "'frequencyCap' is {coupons, perDays}: at most that many coupons per customer in that many days, counting every rule (for example 1 per 7)."));
        return null;
    }

    private static QuietHours? ReadQuietHours(JsonNode? node, List<FieldError> errors)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject quiet)
        {
            errors.Add(JsonFields.TypeError("quietHours", "an object {from, to} of HH:mm times", node));
            return null;
        }

        var before = errors.Count;
        var fromText = JsonFields.Text(quiet, "from", "quietHours.from", errors);
        var toText = JsonFields.Text(quiet, "to", "quietHours.to", errors);
        if (errors.Count > before)
        {
            return null;
        }

        if (TimeOnly.TryParseExact(fromText, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
            && TimeOnly.TryParseExact(toText, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to))
        {
            if (from == to)
            {
                errors.Add(new FieldError("quietHours", "'from' and 'to' are the same time; leave quietHours out to allow coupons at any hour."));
                return null;
            }

            return new QuietHours(from, to);
        }

        errors.Add(new FieldError("quietHours", "'quietHours' is {from, to} as HH:mm on the store's clock, for example {\"from\": \"21:00\", \"to\": \"08:00\"} (it may span midnight)."));
        return null;
    }

    private static IReadOnlyList<string> Strings(JsonObject body, string name, string field, string message, List<FieldError> errors)
    {
        if (body[name] is null)
        {
            return [];
        }

        if (body[name] is not JsonArray list)
        {
            errors.Add(JsonFields.TypeError(field, "a list of text", body[name]));
            return [];
        }

        var wrongAt = list.ToList().FindIndex(item => !JsonFields.IsString(item));
        if (wrongAt >= 0)
        {
            errors.Add(JsonFields.TypeError($"{field}[{wrongAt}]", "text", list[wrongAt]));
            return [];
        }

        if (list.Count <= MaxListItems && list.All(item => item!.GetValue<string>().Trim().Length is > 0 and <= 64))
        {
            return list.Select(item => item!.GetValue<string>().Trim()).Distinct(StringComparer.Ordinal).ToList();
        }

        errors.Add(new FieldError(field, message + $" (at most {MaxListItems} entries)"));
        return [];
    }

    private static bool Bool(JsonObject body, string name, bool fallback, List<FieldError> errors)
    {
        if (body[name] is null)
        {
            return fallback;
        }

        if (JsonFields.IsBoolean(body[name]))
        {
            return body[name]!.GetValue<bool>();
        }

        errors.Add(JsonFields.TypeError(name, "true or false", body[name]));
        return fallback;
    }

    private static int Int(JsonObject body, string name, int fallback, int min, int max, string message, List<FieldError> errors)
    {
        if (body[name] is null)
        {
            return fallback;
        }

        if (!JsonFields.IsNumber(body[name]))
        {
            errors.Add(JsonFields.TypeError(name, "a whole number", body[name]));
            return fallback;
        }

        if (JsonFields.TryWhole(body[name], out var number) && number >= min && number <= max)
        {
            return number;
        }

        errors.Add(new FieldError(name, message));
        return fallback;
    }

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex IdPattern();
}

/// <summary>Writes a rule in the shape <see cref="RuleRequests.ReadRule"/> reads, so what the API answers can be edited and sent back.</summary>
public static class RuleJson
{
    public static JsonObject Write(RemarketingRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var conditions = new JsonObject
        {
            ["skus"] = new JsonArray(rule.Conditions.Skus.Select(sku => (JsonNode)sku).ToArray()),
            ["categories"] = new JsonArray(rule.Conditions.Categories.Select(category => (JsonNode)category).ToArray()),
            ["journeyStages"] = new JsonArray(rule.Conditions.JourneyStages.Select(stage => (JsonNode)(char.ToLowerInvariant(stage.ToString()[0]) + stage.ToString()[1..])).ToArray()),
        };
        if (rule.Conditions.MinCartValue is { } minimum)
        {
            conditions["minCartValue"] = minimum;
        }

        if (rule.Conditions.ViewedWithinDays is { } days)
        {
            conditions["viewedWithinDays"] = days;
        }

        var json = new JsonObject
        {
            ["id"] = rule.Id,
            ["name"] = rule.Name,
            ["enabled"] = rule.Enabled,
            ["priority"] = rule.Priority,
            ["signal"] = RuleEngine.SignalName(rule.Signal),
            ["conditions"] = conditions,
            ["radiusMeters"] = rule.RadiusMeters,
            ["stores"] = new JsonArray(rule.Stores.Select(store => (JsonNode)store).ToArray()),
            ["offer"] = new JsonObject
            {
                ["kind"] = rule.Offer.Kind == OfferKind.Percent ? "percent" : "amount",
                ["value"] = rule.Offer.Value,
                ["minSpend"] = rule.Offer.MinSpend,
                ["validHours"] = rule.Offer.ValidHours,
            },
            ["frequencyCap"] = new JsonObject { ["coupons"] = rule.FrequencyCap.Coupons, ["perDays"] = rule.FrequencyCap.PerDays },
            ["holdoutPercent"] = rule.HoldoutPercent,
            ["attributionDays"] = rule.AttributionDays,
        };
        if (rule.MaxSignalAgeMinutes is { } maxAge)
        {
            json["maxSignalAgeMinutes"] = maxAge;
        }

        if (rule.DailyBudget is { } budget)
        {
            json["dailyBudget"] = budget;
        }

        if (rule.DwellMinutes is { } dwellMinutes)
        {
            json["dwellMinutes"] = dwellMinutes;
        }

        json["quietHoursAtSend"] = rule.AtSendInQuietHours == QuietHoursAtSend.Wait ? "wait" : "drop";
        json["onlyWhenStoreOpen"] = rule.OnlyWhenStoreOpen;
        if (rule.QuietHours is { } quiet)
        {
            json["quietHours"] = new JsonObject
            {
                ["from"] = quiet.From.ToString("HH:mm", CultureInfo.InvariantCulture),
                ["to"] = quiet.To.ToString("HH:mm", CultureInfo.InvariantCulture),
            };
        }

        return json;
    }
}
