namespace OmniChannel.Core.Events;

/// <summary>
/// Reads the timestamp shape channels and ingest write (<c>yyyy-MM-ddTHH:mm:ss</c>, then up to seven fractional digits,
/// then <c>Z</c>) straight from the JSON's UTF-8, to the value the SDK's RFC 3339 parser gives for it: the SDK first
/// copies the text twice and parses it with <c>DateTime.TryParseExact</c>. Any other text, or a date that does not
/// exist, answers false and is left to the SDK, so no timestamp is read or rejected differently.
/// </summary>
internal static class CanonicalTimestamp
{
    private const int DateTimeLength = 19; // yyyy-MM-ddTHH:mm:ss
    private const int MaxFractionDigits = 7; // a tick

    public static bool TryParse(ReadOnlySpan<byte> text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length < DateTimeLength + 1 || text[^1] != 'Z'
            || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':'
            || !TryReadDigits(text[..4], out var year) || !TryReadDigits(text.Slice(5, 2), out var month)
            || !TryReadDigits(text.Slice(8, 2), out var day) || !TryReadDigits(text.Slice(11, 2), out var hour)
            || !TryReadDigits(text.Slice(14, 2), out var minute) || !TryReadDigits(text.Slice(17, 2), out var second))
        {
            return false;
        }

        var fraction = text[DateTimeLength..^1];
        var ticks = 0;
        if (!fraction.IsEmpty)
        {
            if (fraction[0] != '.' || fraction.Length == 1 || fraction.Length > MaxFractionDigits + 1 || !TryReadDigits(fraction[1..], out ticks))
            {
                return false;
            }

            for (var digits = fraction.Length - 1; digits < MaxFractionDigits; digits++)
            {
                ticks *= 10;
            }
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        value = new DateTimeOffset(new DateTime(year, month, day, hour, minute, second).AddTicks(ticks), TimeSpan.Zero);
        return true;
    }

    private static bool TryReadDigits(ReadOnlySpan<byte> digits, out int number)
    {
        number = 0;
        foreach (var digit in digits)
        {
            if (digit is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            number = (number * 10) + (digit - '0');
        }

        return true;
    }
}
