using System.Text.Json;

namespace OmniChannel.TestSupport.Fakes;

/// <summary>Deep copies through JSON, so a fake store hands out documents as a database would: detached from what it keeps.</summary>
public static class Copy
{
    public static T Of<T>(T value) => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value))!;

    public static string Json<T>(T value) => JsonSerializer.Serialize(value);

    public static T From<T>(string json) => JsonSerializer.Deserialize<T>(json)!;
}
