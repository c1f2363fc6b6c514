using System.Text.Json;
using System.Text.Json.Serialization;

namespace OmniChannel.Azure.Cosmos;

/// <summary>The System.Text.Json settings of every Cosmos document: camelCase, enums as strings, nulls left out.</summary>
public static class CosmosJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
