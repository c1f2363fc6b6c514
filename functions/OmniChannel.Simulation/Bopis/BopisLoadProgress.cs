using System.Globalization;
using System.Text.RegularExpressions;

namespace OmniChannel.Simulation.Bopis;

/// <summary>Where a BOPIS load run stands; <see cref="Elapsed"/> counts from the first placement.</summary>
public sealed partial record BopisLoadProgress(int Orders, int Placed, int Ready, int Completed, int Failed, TimeSpan Elapsed)
{
    /// <summary>The plain line a run prints per report when its output is not a terminal (a log, which <c>plot-bopis</c> reads back).</summary>
    public string ToLogLine() => string.Create(CultureInfo.InvariantCulture,
        $"  {Elapsed.TotalSeconds,6:0.0} s  placed {Placed,7:N0}  ready {Ready,7:N0}  ended as planned {Completed,7:N0}  failed {Failed,5:N0}  of {Orders:N0}");

    /// <summary>Reads back the seconds and the orders ready from a line <see cref="ToLogLine"/> wrote; false for any other line.</summary>
    public static bool TryParseLogLine(string line, out double seconds, out int ready)
    {
        ArgumentNullException.ThrowIfNull(line);
        var match = LogLine().Match(line);
        seconds = 0;
        ready = 0;
        return match.Success
            && double.TryParse(match.Groups["seconds"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out seconds)
            && int.TryParse(match.Groups["ready"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out ready);
    }

    [GeneratedRegex(@"^\s*(?<seconds>\d+(?:\.\d+)?) s\s+placed\s+[\d,]+\s+ready\s+(?<ready>[\d,]+)\s")]
    private static partial Regex LogLine();
}
