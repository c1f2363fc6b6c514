using System.Globalization;
using System.Text;

namespace OmniChannel.Simulation.Replay;

/// <summary>
/// Shows replay progress on one line: on a terminal the line is rewritten in place with <c>'\r'</c>; redirected to a
/// file or a CI log, a plain line is written every <see cref="PlainInterval"/> instead, so logs stay readable.
/// </summary>
internal sealed class ReplayProgressPrinter(TextWriter output, long total, bool interactive) : IProgress<ReplayProgress>
{
    private const int BarWidth = 24;

    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(2);

    private readonly Lock _lock = new();
    private ReplayProgress? _last;
    private TimeSpan? _lastPrinted;
    private int _lastLength;

    public void Report(ReplayProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_lock)
        {
            _last = value;
            var line = Render(value, total);
            if (interactive)
            {
                var width = TerminalWidth();
                if (width > 0 && line.Length >= width)
                {
                    line = line[..(width - 1)];
                }

                // Spaces wipe what a longer previous line left behind.
                output.Write('\r' + line.PadRight(_lastLength));
                output.Flush();
                _lastLength = line.Length;
            }
            else if (_lastPrinted is not { } printed || value.Elapsed - printed >= PlainInterval)
            {
                output.WriteLine(line);
                _lastPrinted = value.Elapsed;
            }
        }
    }

    /// <summary>Ends the progress output: the terminal line is kept, and a log gets the final state once.</summary>
    public void Finish()
    {
        lock (_lock)
        {
            if (interactive)
            {
                if (_lastLength > 0)
                {
                    output.WriteLine();
                }
            }
            else if (_last is { } last && last.Elapsed != _lastPrinted)
            {
                output.WriteLine(Render(last, total));
            }

            output.Flush();
        }
    }

    public static string Render(ReplayProgress progress, long total)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var culture = CultureInfo.InvariantCulture;
        var fraction = total > 0 ? Math.Clamp((double)progress.Completed / total, 0, 1) : 1;
        var filled = (int)Math.Round(fraction * BarWidth);
        var line = new StringBuilder(160);
        line.Append('[').Append('#', filled).Append('-', BarWidth - filled).Append(']');
        line.Append(culture, $" {fraction * 100,3:0}% {progress.Completed:N0}/{total:N0} events");
        line.Append(culture, $" | accepted {progress.Accepted:N0} rejected {progress.Rejected:N0} failed {progress.Failed:N0} retries {progress.Retries:N0}");
        line.Append(culture, $" | {progress.EventsPerSecond:N0} ev/s {(int)progress.Elapsed.TotalMinutes}:{progress.Elapsed.Seconds:00}");
        return line.ToString();
    }

    private static int TerminalWidth()
    {
        try
        {
            return Console.WindowWidth;
        }
        catch (IOException)
        {
            return 0;
        }
        catch (PlatformNotSupportedException)
        {
            return 0;
        }
    }
}
