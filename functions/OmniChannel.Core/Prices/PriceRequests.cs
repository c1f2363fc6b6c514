using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OmniChannel.Core.Events;
using OmniChannel.Core.Requests;

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
        var typeErrors = errors.Count;
        if (JsonFields.Text(body, "effectiveAt", "effectiveAt", errors) is not { } effectiveText)
        {
            if (errors.Count == typeErrors)
            {
                errors.Add(new FieldError("effectiveAt", "'effectiveAt' is required: the moment the new prices apply, as RFC 3339 with an offset (e.g. 2026-12-01T06:00:00Z)."));
            }
        }
        else if (!JsonFields.TryInstant(effectiveText, out effectiveAt))
        {
            errors.Add(new FieldError("effectiveAt", $"'{effectiveText}' is not an RFC 3339 time with an offset (e.g. 2026-12-01T06:00:00Z)."));
        }

        var scope = PriceScope.All;
        if (body["scope"] is { } scopeNode && !JsonFields.IsString(scopeNode))
        {
            errors.Add(JsonFields.TypeError("scope", "text: 'all', 'region:<code>' or 'store:<id>'", scopeNode));
        }
        else if (body["scope"] is { } scopeText && !PriceScope.TryParse(scopeText.GetValue<string>(), out scope))
        {
            errors.Add(new FieldError("scope", "'scope' must be 'all', 'region:<code>' or 'store:<id>'."));
        }

        FanOutMode? fanOut = null;
        if (body["fanOut"] is { } fanOutNode)
        {
            if (!JsonFields.IsString(fanOutNode))
            {
                errors.Add(JsonFields.TypeError("fanOut", "text: 'batched' or 'perSubscriber'", fanOutNode));
            }
            else if (Enum.TryParse<FanOutMode>(fanOutNode.GetValue<string>(), ignoreCase: true, out var mode) && !int.TryParse(fanOutNode.GetValue<string>(), out _))
            {
                fanOut = mode;
            }
            else
            {
                errors.Add(new FieldError("fanOut", "'fanOut' is 'batched' (the default) or 'perSubscriber'."));
            }
        }

        var items = new List<PriceItem>();
        if (body["items"] is { } itemsNode and not JsonArray)
        {
            errors.Add(JsonFields.TypeError("items", "an array of {sku, price, currency?}", itemsNode));
        }
        else if (body["items"] is not JsonArray array || array.Count == 0)
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
        var before = errors.Count;
        if (JsonFields.Text(body, "kind", "kind", errors) is not { } kindText || !Enum.TryParse(kindText, ignoreCase: true, out kind) || int.TryParse(kindText, out _))
        {
            AddUnlessTyped(errors, before, new FieldError("kind", "'kind' must be one of pos, web, app, signage, marketplace."));
        }

        before = errors.Count;
        if (!PriceScope.TryParse(JsonFields.Text(body, "scope", "scope", errors), out var scope))
        {
            AddUnlessTyped(errors, before, new FieldError("scope", "'scope' must be 'all', 'region:<code>' or 'store:<id>'."));
        }

        before = errors.Count;
        if (!Uri.TryCreate(JsonFields.Text(body, "endpoint", "endpoint", errors), UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            AddUnlessTyped(errors, before, new FieldError("endpoint", "'endpoint' must be an absolute http(s) URL that accepts the signed deliveries."));
        }

        var enabled = true;
        if (body["enabled"] is { } enabledNode)
        {
            if (JsonFields.IsBoolean(enabledNode))
            {
                enabled = enabledNode.GetValue<bool>();
            }
            else
            {
                errors.Add(JsonFields.TypeError("enabled", "true or false", enabledNode));
            }
        }

        return errors.Count > 0 ? (null, errors) : (new SubscriberRequest(id, kind, scope!, endpoint!, enabled), errors);
    }

    private static PriceItem? ReadItem(JsonNode? node, string path, List<FieldError> errors)
    {
        if (node is not JsonObject item)
        {
            errors.Add(JsonFields.TypeError(path, "an object {sku, price, currency?}", node));
            return null;
        }

        var before = errors.Count;
        var sku = JsonFields.Text(item, "sku", path + ".sku", errors);
        if (errors.Count == before && (string.IsNullOrWhiteSpace(sku) || sku.Length > 64))
        {
            errors.Add(new FieldError(path + ".sku", "'sku' is required (at most 64 characters)."));
        }

        var priceErrors = errors.Count;
        var price = item["price"] is { } priceNode
            ? JsonFields.Amount(priceNode, path + ".price", errors)
            : null;
        if (errors.Count == priceErrors && price is not (> 0 and <= 1_000_000m))
        {
            errors.Add(new FieldError(path + ".price", "'price' must be a positive amount (a number or a decimal string, at most 4 decimals, below 1,000,000)."));
        }

        var currencyErrors = errors.Count;
        var currency = JsonFields.Text(item, "currency", path + ".currency", errors) ?? "USD";
        if (errors.Count == currencyErrors && !CurrencyPattern().IsMatch(currency))
        {
            errors.Add(new FieldError(path + ".currency", "'currency' is an ISO 4217 code such as USD."));
        }

        return errors.Count > before ? null : new PriceItem(sku!, price!.Value, currency);
    }

    private static string? Identifier(JsonObject body, string name, List<FieldError> errors)
    {
        var before = errors.Count;
        var value = JsonFields.Text(body, name, name, errors);
        if (errors.Count > before)
        {
            return null;
        }

        if (value is null || !IdPattern().IsMatch(value))
        {
            errors.Add(new FieldError(name, $"'{name}' is required: 1–64 letters, digits, '.', '_', ':' or '-'."));
            return null;
        }

        return value;
    }

    /// <summary>The field's value error, unless a type error for it was recorded since <paramref name="before"/>.</summary>
    private static void AddUnlessTyped(List<FieldError> errors, int before, FieldError error)
    {
        if (errors.Count == before)
        {
            errors.Add(error);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,64}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyPattern();
}

/// <summary>A subscriber as an admin asked for it (the registry adds its creation time, the secret store its secret).</summary>
public sealed record SubscriberRequest(string Id, SubscriberKind Kind, PriceScope Scope, Uri Endpoint, bool Enabled);
