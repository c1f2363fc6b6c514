using System.Text.Json;

namespace OmniChannel.Workflows.Tests.Fakes;

/// <summary>Documents are stored as JSON, as a database would: a caller never shares an instance with the store.</summary>
internal static class Copy
{
    public static string Json<T>(T value) => JsonSerializer.Serialize(value);

    public static T From<T>(string json) => JsonSerializer.Deserialize<T>(json)!;
}
