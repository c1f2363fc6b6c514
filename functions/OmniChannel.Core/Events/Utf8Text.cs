using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;

namespace OmniChannel.Core.Events;

/// <summary>Reads a JSON string value as characters on the stack, to look a known string up without making a new one.</summary>
internal static class Utf8Text
{
    /// <summary>Longer values are not looked up: the characters are copied to the stack.</summary>
    public const int MaxLookupLength = 256;

    /// <summary>
    /// The reader's string value as UTF-16 in <paramref name="destination"/>; false if it is escaped, longer than the
    /// destination or not valid UTF-8 (<see cref="Utf8JsonReader.GetString"/> then reads it, or reports it, as ever).
    /// </summary>
    public static bool TryCopyValue(ref Utf8JsonReader reader, scoped Span<char> destination, out int length)
    {
        length = 0;
        return !reader.ValueIsEscaped && reader.ValueSpan.Length <= destination.Length
            && Utf8.ToUtf16(reader.ValueSpan, destination, out _, out length, replaceInvalidSequences: false) == OperationStatus.Done;
    }
}
