namespace OmniChannel.Azure.Cosmos;

/// <summary>Cosmos ids may not contain '/', '\', '?' or '#'; identity values and SKUs come from channels and might.</summary>
internal static class CosmosIds
{
    public static string Encode(string value) => Uri.EscapeDataString(value);

    public static string Decode(string id) => Uri.UnescapeDataString(id);
}
