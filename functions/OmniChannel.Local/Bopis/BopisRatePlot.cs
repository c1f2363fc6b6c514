using System.Globalization;
using OmniChannel.Simulation.Bopis;
using ScottPlot;

namespace OmniChannel.Local.Bopis;

/// <summary>
/// <c>plot-bopis LOG OUT [WINDOW-SECONDS]</c>: reads the progress lines a <c>simulate-bopis</c> run printed
/// ("12.0 s  placed 40  ready 31 …", every 2 s), and plots how many orders reached "ready" per second in each window
/// (100 s by default) with ScottPlot, against the run's mean rate and a ±20 % band, as OUT.png and OUT.svg. A flat
/// run keeps every full window inside the band.
/// </summary>
public static class BopisRatePlot
{
    /// <summary>The sub-command as the root help lists it.</summary>
    public static System.CommandLine.Command Command() => new("plot-bopis",
        "Plots a finished simulate-bopis run's rate of orders reaching ready (its output redirected to a file) as PNG and SVG: plot-bopis LOG OUT [WINDOW-SECONDS].");

    public static int Run(string[] args, TextWriter output)
    {
        if (args.Length is < 2 or > 3)
        {
            output.WriteLine("Usage: plot-bopis SIMULATE-BOPIS-OUTPUT OUT-PATH-WITHOUT-EXTENSION [WINDOW-SECONDS, default 100]");
            output.WriteLine("SIMULATE-BOPIS-OUTPUT is what simulate-bopis printed with its output redirected to a file (a terminal gets a progress bar instead).");
            return 2;
        }

        if (!File.Exists(args[0]))
        {
            output.WriteLine($"No such file: {args[0]}.");
            return 2;
        }

        var window = 100d;
        if (args.Length == 3 && (!double.TryParse(args[2], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out window) || window < 1))
        {
            output.WriteLine($"WINDOW-SECONDS must be a number of seconds, at least 1; got '{args[2]}'.");
            return 2;
        }

        var progress = new List<(double Seconds, int Ready)>();
        foreach (var line in File.ReadLines(args[0]))
        {
            if (BopisLoadProgress.TryParseLogLine(line, out var seconds, out var ready))
            {
                progress.Add((seconds, ready));
            }
        }

        if (progress.Count == 0)
        {
            output.WriteLine($"No progress lines in {args[0]}.");
            return 1;
        }

        var rates = Windows(progress, window);
        var full = rates.Where(rate => rate.Full).ToList();
        var mean = full.Count == 0 ? 0 : full.Average(rate => rate.PerSecond);

        var plot = new Plot();
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"BOPIS: orders reaching ready per second, per {window:0} s ({progress[^1].Ready:N0} orders in {progress[^1].Seconds:0} s)"), 14);
        var bars = plot.Add.Bars(rates.Select(rate => rate.End - (window / 2)).ToArray(), rates.Select(rate => rate.PerSecond).ToArray());
        foreach (var bar in bars.Bars)
        {
            bar.Size = window * 0.9;
            bar.FillColor = Color.FromHex("#0b6bcb");
        }

        var meanLine = plot.Add.HorizontalLine(mean, 2, Color.FromHex("#111827"));
        meanLine.LegendText = string.Create(CultureInfo.InvariantCulture, $"mean of the full windows, {mean:0.00}/s");
        foreach (var bound in new[] { 0.8, 1.2 })
        {
            var band = plot.Add.HorizontalLine(mean * bound, 1.5f, Color.FromHex("#f59e0b"), LinePattern.Dashed);
            band.LegendText = bound < 1 ? "±20 %" : string.Empty;
        }

        plot.ShowLegend(Alignment.LowerRight);
        plot.XLabel("seconds since the first order was placed", 13);
        plot.YLabel("orders ready per second", 13);
        plot.Axes.SetLimits(0, rates[^1].End, 0, Math.Max(mean * 1.3, rates.Max(rate => rate.PerSecond) * 1.1));
        plot.SavePng(args[1] + ".png", 1000, 420);
        plot.SaveSvg(args[1] + ".svg", 1000, 420);
        foreach (var rate in rates)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rate.End - window,6:0}–{rate.End,6:0} s  {rate.Ready,6} ready  {rate.PerSecond,6:0.00}/s{(rate.Full ? string.Empty : "  (partial window)")}"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mean {mean:0.00}/s over {full.Count} full windows; lowest {(full.Count == 0 ? 0 : full.Min(r => r.PerSecond) / mean - 1):+0%;-0%}, highest {(full.Count == 0 ? 0 : full.Max(r => r.PerSecond) / mean - 1):+0%;-0%} of the mean; wrote {args[1]}.png and .svg"));
        return 0;
    }

    // Orders that became ready in each window; the last window is partial unless the run ended on its boundary, and
    // a window that ends after the last order was ready (the tail of collections) is left out.
    private static List<(double End, int Ready, double PerSecond, bool Full)> Windows(List<(double Seconds, int Ready)> progress, double window)
    {
        var lastReady = progress.First(point => point.Ready == progress[^1].Ready).Seconds;
        var windows = new List<(double End, int Ready, double PerSecond, bool Full)>();
        var before = 0;
        for (var end = window; end - window < lastReady; end += window)
        {
            var full = end <= lastReady;
            var readyByEnd = progress.LastOrDefault(point => point.Seconds <= end).Ready;
            var ready = (full ? readyByEnd : progress[^1].Ready) - before;
            windows.Add((end, ready, ready / (full ? window : lastReady - (end - window)), full));
            before += ready;
        }

        return windows;
    }
}
