using System.Globalization;
using System.Text.Json;

namespace OmniChannel.Core.Events;

/// <summary>
/// Reads typed fields out of an event's JSON <c>data</c>, recording every problem with its path instead of stopping at
/// the first. A struct, as one is made per event. Every field it reads is one of its type's <see cref="Plan"/>.
/// </summary>
internal readonly struct PayloadReader(List<FieldError> errors, EventPlan plan)
{
    private const int MaxIdentifierLength = 128;

    public EventPlan Plan => plan;

    public string? RequiredString(JsonElement obj, string path, string name) => ReadString(obj, path, name, required: true);

    public string? OptionalString(JsonElement obj, string path, string name) => ReadString(obj, path, name, required: false);

    public int? RequiredInt(JsonElement obj, string path, string name, int min, int max)
    {
        if (!TryGet(obj, path, name, required: true, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            Add(path, name, "must be a whole number.");
            return null;
        }

        if (number < min || number > max)
        {
            Add(path, name, $"must be between {min} and {max}; it is {number}.");
            return null;
        }

        return number;
    }

    public double? RequiredCoordinate(JsonElement obj, string path, string name, double limit)
    {
        if (!TryGet(obj, path, name, required: true, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || Math.Abs(number) > limit)
        {
            Add(path, name, $"must be a number between -{limit} and {limit}.");
            return null;
        }

        return number;
    }

    /// <summary>A price: a decimal string such as "12.99" or whole minor units such as 1299, never a float.</summary>
    public decimal? RequiredMoney(JsonElement obj, string path, string name)
    {
        if (!TryGet(obj, path, name, required: true, out var value))
        {
            return null;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.String
                when decimal.TryParse(value.GetString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
                     && amount.Scale <= 4:
                return amount;
            case JsonValueKind.Number when value.TryGetInt64(out var minorUnits) && minorUnits >= 0:
                return minorUnits / 100m;
            default:
                Add(path, name, "must be a price as a decimal string such as \"12.99\" or as whole minor units such as 1299; floating-point numbers are not accepted.");
                return null;
        }
    }

    public JsonElement? RequiredArray(JsonElement obj, string path, string name, int maxItems)
    {
        if (!TryGet(obj, path, name, required: true, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            Add(path, name, "must be a non-empty array.");
            return null;
        }

        if (value.GetArrayLength() > maxItems)
        {
            Add(path, name, $"has {value.GetArrayLength()} items; at most {maxItems} are allowed.");
            return null;
        }

        return value;
    }

    public void Add(string path, string name, string message) => errors.Add(new FieldError(Join(path, name), $"'{name}' {message}"));

    public static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    /// <summary>Checks an identifier-like value: not blank, no control characters, not too long.</summary>
    public static string? IdentifierProblem(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return "must not be empty.";
        }

        if (value.Length > MaxIdentifierLength)
        {
            return $"must be at most {MaxIdentifierLength} characters.";
        }

        foreach (var character in value)
        {
            if (char.IsControl(character))
            {
                return "must not contain control characters.";
            }
        }

        return null;
    }

    private string? ReadString(JsonElement obj, string path, string name, bool required)
    {
        if (!TryGet(obj, path, name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Add(path, name, "must be a string.");
            return null;
        }

        var text = value.GetString()!;
        var problem = IdentifierProblem(text);
        if (problem is not null)
        {
            Add(path, name, problem);
            return null;
        }

        return text;
    }

    private bool TryGet(JsonElement obj, string path, string name, bool required, out JsonElement value)
    {
        plan.AssertPlanned(name);
        if (obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        if (required)
        {
            Add(path, name, "is required.");
        }

        return false;
    }
}
