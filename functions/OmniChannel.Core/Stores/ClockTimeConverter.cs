using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OmniChannel.Core.Stores;

/// <summary>A time of day as <c>HH:mm</c> on the wire (seconds accepted when read).</summary>
public sealed class ClockTimeConverter : JsonConverter<TimeOnly>
{
    private static readonly string[] Formats = ["HH:mm", "HH:mm:ss"];

    public override TimeOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        TimeOnly.TryParseExact(reader.GetString(), Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : throw new JsonException("A time of day is HH:mm, for example \"09:00\".");

    public override void Write(Utf8JsonWriter writer, TimeOnly value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString("HH:mm", CultureInfo.InvariantCulture));
    }
}
