using System.Globalization;
using System.Text;

namespace OmniChannel.Simulation.Replay;

/// <summary>
/// Shows replay progress: on a terminal as a Spectre.Console progress bar (<see cref="TerminalProgress"/>) with the
/// counts beside it; redirected to a file or a CI log, a plain line is written every <see cref="PlainInterval"/>
/// instead, so logs stay readable.
/// </summary>
internal sealed class ReplayProgressPrinter(TextWriter output, long total, bool interactive) : IProgress<ReplayProgress>
{
    private const int BarWidth = 24;

    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(2);

    private readonly Lock _lock = new();
    private readonly TerminalProgress? _bar = interactive ? new TerminalProgress(string.Create(CultureInfo.InvariantCulture, $"{total:N0} events"), total) : null;
    private ReplayProgress? _last;
    private TimeSpan? _lastPrinted;

    public void Report(ReplayProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_lock)
        {
            _last = value;
            if (_bar is not null)
            {
                _bar.Update(value.Completed, Counts(value));
            }
            else if (_lastPrinted is not { } printed || value.Elapsed - printed >= PlainInterval)
            {
                output.WriteLine(Render(value, total));
                _lastPrinted = value.Elapsed;
            }
        }
    }

    /// <summary>Ends the progress output: the terminal's bar is kept, and a log gets the final state once.</summary>
    public void Finish()
    {
        lock (_lock)
        {
            if (_bar is not null)
            {
                _bar.Finish();
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
        line.Append(" | ").Append(Counts(progress));
        line.Append(culture, $" {(int)progress.Elapsed.TotalMinutes}:{progress.Elapsed.Seconds:00}");
        return line.ToString();
    }

    private static string Counts(ReplayProgress progress) => string.Create(CultureInfo.InvariantCulture,
        $"accepted {progress.Accepted:N0} rejected {progress.Rejected:N0} failed {progress.Failed:N0} retries {progress.Retries:N0} | {progress.EventsPerSecond:N0} ev/s");
}
