using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using OmniChannel.Core.Profiles;

namespace OmniChannel.Azure.Cosmos;

/// <summary>
/// The System.Text.Json settings of every Cosmos document: camelCase, enums as strings, nulls left out, and a profile's
/// empty collections left out too (a write costs request units by size, and a profile is replaced on every change).
/// </summary>
public static class CosmosJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { SkipEmptyProfileCollections } },
    };

    /// <summary>
    /// Every collection of <see cref="CustomerProfile"/> starts empty when its property is absent (each has an
    /// initialiser and a setter), so leaving an empty one out reads back the same profile.
    /// </summary>
    private static void SkipEmptyProfileCollections(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Type != typeof(CustomerProfile))
        {
            return;
        }

        foreach (var property in typeInfo.Properties)
        {
            if (typeof(ICollection).IsAssignableFrom(property.PropertyType))
            {
                property.ShouldSerialize = (_, value) => value is not ICollection { Count: 0 };
            }
        }
    }
}
