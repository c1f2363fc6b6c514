using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OmniChannel.Core.Events;

namespace OmniChannel.Core.Requests;

/// <summary>
/// What every reader of a JSON request body shares: naming the JSON type a field holds when it is the wrong one (a
/// <see cref="FieldError.TypeKind"/> error, so "not a number" never reads like "out of range"), and reading an amount
/// of money or a percentage the way the event contract writes money: a decimal string such as "12.50", or a number.
/// </summary>
public static partial class JsonFields
{
    /// <summary>Most decimals an amount may have (prices in four-decimal currencies).</summary>
    public const int MaxAmountDecimals = 4;

    /// <summary>What an amount looks like, for messages.</summary>
    public const string AmountShape = "a number or a decimal string such as \"12.50\"";

    /// <summary>The JSON type of a node, in words: "a string", "a number", "true or false", "an object", "an array", "null".</summary>
    public static string Describe(JsonNode? node) => node?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "null",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true or false",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => "an unknown JSON value",
    };

    /// <summary>The field holds the wrong JSON type: says which it must be and which it is.</summary>
    public static FieldError TypeError(string field, string expected, JsonNode? node) =>
        new(field, $"'{LastName(field)}' must be {expected}, not {Describe(node)}.", FieldError.TypeKind);

    public static bool IsString(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String;

    public static bool IsNumber(JsonNode? node) => node?.GetValueKind() == JsonValueKind.Number;

    public static bool IsBoolean(JsonNode? node) => node?.GetValueKind() is JsonValueKind.True or JsonValueKind.False;

    /// <summary>Whether the node has an amount's type (a number or a string); <see cref="TryAmount"/> says whether it reads as one.</summary>
    public static bool IsAmountType(JsonNode? node) => node?.GetValueKind() is JsonValueKind.Number or JsonValueKind.String;

    /// <summary>
    /// An amount from a decimal string ("15", "12.50") or a JSON number (15, 12.5), with at most
    /// <see cref="MaxAmountDecimals"/> decimals; false for anything else (exponents, thousands separators, other types).
    /// </summary>
    public static bool TryAmount(JsonNode? node, out decimal amount)
    {
        amount = 0;
        var read = node?.GetValueKind() switch
        {
            JsonValueKind.Number => node.AsValue().TryGetValue(out amount),
            JsonValueKind.String => decimal.TryParse(node.GetValue<string>(), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out amount),
            _ => false,
        };
        return read && amount.Scale <= MaxAmountDecimals;
    }

    /// <summary>A whole number of the node's own type (not "3" and not 3.5).</summary>
    public static bool TryWhole(JsonNode? node, out int number)
    {
        number = 0;
        return IsNumber(node) && node!.AsValue().TryGetValue(out number);
    }

    /// <summary>An amount (a decimal string such as "15" or a number); a type error, or a value error for a string that is no amount.</summary>
    public static decimal? Amount(JsonNode node, string field, List<FieldError> errors)
    {
        if (!IsAmountType(node))
        {
            errors.Add(TypeError(field, AmountShape, node));
            return null;
        }

        if (TryAmount(node, out var amount))
        {
            return amount;
        }

        errors.Add(new FieldError(field, $"'{node}' is not an amount: write {AmountShape}, with at most {MaxAmountDecimals} decimals."));
        return null;
    }

    /// <summary>
    /// The amount under <paramref name="name"/>: a value error saying it is required (<paramref name="what"/> it is) when
    /// absent, else as <see cref="Amount"/>.
    /// </summary>
    public static decimal? RequiredAmount(JsonObject body, string name, string field, string what, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(errors);
        if (body[name] is { } node)
        {
            return Amount(node, field, errors);
        }

        errors.Add(new FieldError(field, $"'{name}' is required: {what}, {AmountShape}."));
        return null;
    }

    /// <summary>Text, or null when absent; a type error when the field holds another JSON type.</summary>
    public static string? Text(JsonObject body, string name, string field, List<FieldError> errors)
    {
        switch (body[name])
        {
            case null:
                return null;
            case var node when IsString(node):
                return node.GetValue<string>();
            case var node:
                errors.Add(TypeError(field, "text", node));
                return null;
        }
    }

    /// <summary>
    /// An RFC 3339 time with its offset (<c>Z</c> or <c>+01:00</c>); false for one without (it would be read in the
    /// server's zone) or for no time at all.
    /// </summary>
    public static bool TryInstant(string? text, out DateTimeOffset instant)
    {
        instant = default;
        return text is not null
               && (text.EndsWith('Z') || text.EndsWith('z') || OffsetPattern().IsMatch(text))
               && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out instant);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"[+-]\d{2}:\d{2}$")]
    private static partial System.Text.RegularExpressions.Regex OffsetPattern();

    private static string LastName(string field)
    {
        var name = field[(field.LastIndexOf('.') + 1)..];
        var index = name.IndexOf('[', StringComparison.Ordinal);
        return index > 0 ? name[..index] : name;
    }
}
