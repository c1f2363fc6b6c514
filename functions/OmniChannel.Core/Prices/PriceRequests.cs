using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OmniChannel.Core.Events;

namespace OmniChannel.Core.Prices;

/// <summary>
/// Reads the bodies of the price routes and names every bad field (one implementation for both hosts). A price
/// change is <c>{changeId, effectiveAt, items: [{sku, price, currency?}], scope?}</c>; a subscriber
/// <c>{kind, scope, endpoint, enabled?}</c>.
/// </summary>
public static partial class PriceRequests
{
    public const int MaxItems = 1000;

    public static (PriceChange? Change, IReadOnlyList<FieldError> Errors) ReadChange(JsonObject body, DateTimeOffset acceptedAt)
    {
        var errors = new List<FieldError>();
        var changeId = Identifier(body, "changeId", errors);
        DateTimeOffset effectiveAt = default;
        if (Text(body, "effectiveAt") is not { } effectiveText)
        {
            errors.Add(new FieldError("effectiveAt", "'effectiveAt' is required: the moment the new prices apply, as RFC 3339 with an offset (e.g. 2026-12-01T06:00:00Z)."));
        }
        else if (!HasOffset(effectiveText) || !DateTimeOffset.TryParse(effectiveText, CultureInfo.InvariantCulture, DateTimeStyles.None, out effectiveAt))
        {
            errors.Add(new FieldError("effectiveAt", $"'{effectiveText}' is not an RFC 3339 time with an offset (e.g. 2026-12-01T06:00:00Z)."));
        }

        var scope = PriceScope.All;
        if (body["scope"] is { } scopeNode && !(scopeNode.GetValueKind() == JsonValueKind.String && PriceScope.TryParse(scopeNode.GetValue<string>(), out scope)))
        {
            errors.Add(new FieldError("scope", "'scope' must be 'all', 'region:<code>' or 'store:<id>'."));
        }

        FanOutMode? fanOut = null;
        if (body["fanOut"] is { } fanOutNode)
        {
            if (fanOutNode.GetValueKind() == JsonValueKind.String && Enum.TryParse<FanOutMode>(fanOutNode.GetValue<string>(), ignoreCase: true, out var mode) && !int.TryParse(fanOutNode.GetValue<string>(), out _))
            {
                fanOut = mode;
            }
            else
            {
                errors.Add(new FieldError("fanOut", "'fanOut' is 'batched' (the default) or 'perSubscriber'."));
            }
        }

        var items = new List<PriceItem>();
        if (body["items"] is not JsonArray array || array.Count == 0)
        {
            errors.Add(new FieldError("items", "'items' is required: a non-empty array of {sku, price, currency?}."));
        }
        else if (array.Count > MaxItems)
        {
            errors.Add(new FieldError("items", $"At most {MaxItems} items per change; split larger changes."));
        }
        else
        {
            for (var index = 0; index < array.Count; index++)
            {
                if (ReadItem(array[index], $"items[{index}]", errors) is { } item)
                {
                    if (items.Any(existing => existing.Sku == item.Sku))
                    {
                        errors.Add(new FieldError($"items[{index}].sku", $"SKU '{item.Sku}' appears twice; a change sets one price per SKU."));
                    }

                    items.Add(item);
                }
            }
        }

        return errors.Count > 0 || changeId is null
            ? (null, errors)
            : (new PriceChange { Id = changeId, Items = items, EffectiveAt = effectiveAt.ToUniversalTime(), Scope = scope!, AcceptedAt = acceptedAt, FanOut = fanOut }, errors);
    }

    public static (SubscriberRequest? Subscriber, IReadOnlyList<FieldError> Errors) ReadSubscriber(string id, JsonObject body)
    {
        var errors = new List<FieldError>();
        if (!IdPattern().IsMatch(id))
        {
            errors.Add(new FieldError("id", "A subscriber id is 1–64 letters, digits, '.', '_', ':' or '-'."));
        }

        SubscriberKind kind = default;
        if (Text(body, "kind") is not { } kindText || !Enum.TryParse(kindText, ignoreCase: true, out kind) || int.TryParse(kindText, out _))
        {
            errors.Add(new FieldError("kind", "'kind' must be one of pos, web, app, signage, marketplace."));
        }

        if (!PriceScope.TryParse(Text(body, "scope"), out var scope))
        {
            errors.Add(new FieldError("scope", "'scope' must be 'all', 'region:<code>' or 'store:<id>'."));
        }

        if (!Uri.TryCreate(Text(body, "endpoint"), UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            errors.Add(new FieldError("endpoint", "'endpoint' must be an absolute http(s) URL that accepts the signed deliveries."));
        }

        var enabled = true;
        if (body["enabled"] is { } enabledNode)
        {
            if (enabledNode.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
            {
                enabled = enabledNode.GetValue<bool>();
            }
            else
            {
                errors.Add(new FieldError("enabled", "'enabled' must be true or false."));
            }
        }

        return errors.Count > 0 ? (null, errors) : (new SubscriberRequest(id, kind, scope!, endpoint!, enabled), errors);
    }

    private static PriceItem? ReadItem(JsonNode? node, string path, List<FieldError> errors)
    {
        if (node is not JsonObject item)
        {
            errors.Add(new FieldError(path, "Each item is an object {sku, price, currency?}."));
            return null;
        }

        var before = errors.Count;
        var sku = Text(item, "sku");
        if (string.IsNullOrWhiteSpace(sku) || sku.Length > 64)
        {
            errors.Add(new FieldError(path + ".sku", "'sku' is required (at most 64 characters)."));
        }

        decimal price = 0;
        if (item["price"] is not JsonValue priceValue || !TryDecimal(priceValue, out price) || price <= 0 || price > 1_000_000m || decimal.Round(price, 4) != price)
        {
            errors.Add(new FieldError(path + ".price", "'price' must be a positive amount (a number or numeric string, at most 4 decimals, below 1,000,000)."));
        }

        var currency = Text(item, "currency") ?? "USD";
        if (!CurrencyPattern().IsMatch(currency))
        {
            errors.Add(new FieldError(path + ".currency", "'currency' is an ISO 4217 code such as USD."));
        }

        return errors.Count > before ? null : new PriceItem(sku!, price, currency);
    }

    private static bool TryDecimal(JsonValue value, out decimal amount)
    {
        amount = 0;
        return value.GetValueKind() switch
        {
            JsonValueKind.Number => value.TryGetValue(out amount) || decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out amount),
            JsonValueKind.String => decimal.TryParse(value.GetValue<string>(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out amount),
            _ => false,
        };
    }

    private static string? Identifier(JsonObject body, string name, List<FieldError> errors)
    {
        var value = Text(body, name);
        if (value is null || !IdPattern().IsMatch(value))
        {
            errors.Add(new FieldError(name, $"'{name}' is required: 1–64 letters, digits, '.', '_', ':' or '-'."));
            return null;
        }

        return value;
    }

    private static string? Text(JsonObject body, string name) =>
        body[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static bool HasOffset(string text) => text.EndsWith('Z') || text.EndsWith('z') || OffsetPattern().IsMatch(text);

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,64}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyPattern();

    [GeneratedRegex(@"[+-]\d{2}:\d{2}$")]
    private static partial Regex OffsetPattern();
}

/// <summary>A subscriber as an admin asked for it (the registry adds its creation time, the secret store its secret).</summary>
public sealed record SubscriberRequest(string Id, SubscriberKind Kind, PriceScope Scope, Uri Endpoint, bool Enabled);
