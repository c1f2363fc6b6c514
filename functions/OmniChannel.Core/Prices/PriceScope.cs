using System.Diagnostics.CodeAnalysis;
using OmniChannel.Core.Stores;

namespace OmniChannel.Core.Prices;

public enum PriceScopeKind
{
    /// <summary>Every store and every channel.</summary>
    All,

    /// <summary>The stores of one region (a state code in the store directory, e.g. <c>NY</c>).</summary>
    Region,

    /// <summary>One store.</summary>
    Store,
}

/// <summary>
/// Where a price change applies, or which stores a subscriber serves. Written <c>all</c>, <c>region:NY</c> or
/// <c>store:0001</c>.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(PriceScopeJsonConverter))]
public sealed record PriceScope(PriceScopeKind Kind, string? Value)
{
    public static PriceScope All { get; } = new(PriceScopeKind.All, null);

    public static PriceScope ForRegion(string region) => new(PriceScopeKind.Region, region);

    public static PriceScope ForStore(string storeId) => new(PriceScopeKind.Store, storeId);

    /// <summary>How specific the scope is: a store's own price outranks its region's, which outranks the chain's.</summary>
    public int Specificity => (int)Kind;

    public static bool TryParse(string? text, [NotNullWhen(true)] out PriceScope? scope)
    {
        scope = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (text == "all")
        {
            scope = All;
            return true;
        }

        var separator = text.IndexOf(':', StringComparison.Ordinal);
        if (separator <= 0 || separator == text.Length - 1)
        {
            return false;
        }

        var value = text[(separator + 1)..];
        scope = text[..separator] switch
        {
            "region" => ForRegion(value),
            "store" => ForStore(value),
            _ => null,
        };
        return scope is not null;
    }

    public static PriceScope Parse(string text) =>
        TryParse(text, out var scope) ? scope : throw new FormatException($"'{text}' is not a price scope (all, region:<code> or store:<id>).");

    /// <summary>Whether a price in this scope applies at <paramref name="store"/> (null: chain-wide channels such as the web).</summary>
    public bool AppliesAt(Store? store) => Kind switch
    {
        PriceScopeKind.All => true,
        PriceScopeKind.Region => store is not null && string.Equals(store.Region, Value, StringComparison.OrdinalIgnoreCase),
        PriceScopeKind.Store => store is not null && store.Id == Value,
        _ => false,
    };

    /// <summary>
    /// Whether a subscriber serving <paramref name="subscriber"/> must hear of a change in this scope: chain-wide
    /// subscribers (web, app, marketplaces) hear of every change, regional ones of changes in their region or its
    /// stores, a store's own systems of changes that apply at that store.
    /// </summary>
    public bool Reaches(PriceScope subscriber, Func<string, Store?> storeById) => (Kind, subscriber.Kind) switch
    {
        (_, PriceScopeKind.All) => true,
        (PriceScopeKind.All, _) => true,
        (PriceScopeKind.Region, PriceScopeKind.Region) => SameCode(Value, subscriber.Value),
        (PriceScopeKind.Region, PriceScopeKind.Store) => SameCode(storeById(subscriber.Value!)?.Region, Value),
        (PriceScopeKind.Store, PriceScopeKind.Region) => SameCode(storeById(Value!)?.Region, subscriber.Value),
        (PriceScopeKind.Store, PriceScopeKind.Store) => Value == subscriber.Value,
        _ => false,
    };

    public override string ToString() => Kind switch
    {
        PriceScopeKind.All => "all",
        PriceScopeKind.Region => "region:" + Value,
        _ => "store:" + Value,
    };

    private static bool SameCode(string? left, string? right) => left is not null && string.Equals(left, right, StringComparison.OrdinalIgnoreCase);
}

/// <summary>A scope travels as its text form (<c>all</c>, <c>region:NY</c>, <c>store:0001</c>) in documents and answers.</summary>
public sealed class PriceScopeJsonConverter : System.Text.Json.Serialization.JsonConverter<PriceScope>
{
    public override PriceScope Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options) =>
        PriceScope.TryParse(reader.GetString(), out var scope) ? scope : throw new System.Text.Json.JsonException("Not a price scope.");

    public override void Write(System.Text.Json.Utf8JsonWriter writer, PriceScope value, System.Text.Json.JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
