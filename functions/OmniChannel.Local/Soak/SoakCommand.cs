using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using ScottPlot;
using SkiaSharp;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using OmniChannel.Core.Events;
using OmniChannel.Core.Stores;
using OmniChannel.LocalServers;
using OmniChannel.Simulation;
using OmniChannel.Simulation.Replay;

namespace OmniChannel.Local.Soak;

/// <summary>
/// <c>soak</c>: offers a running local host a steady event rate (or a ladder of rates) in windows of a few seconds, and
/// after each window samples the collect API's p99 latency, what was accepted, the ingest lag, and the host process's
/// memory and open handles. At the end it waits for ingest to drain and reads every sent event back from Cosmos DB
/// (a point read by id and partition key), so "accepted = stored" is checked event by event, not assumed. Writes a CSV and a plot, as SVG and PNG (ScottPlot).
/// </summary>
public static class SoakCommand
{
    private const int EventsPerRequest = 50;

    /// <summary>The command line of <c>soak</c>: its description and options, as <c>--help</c> prints them.</summary>
    public static Command Command() => new("soak", "A load or soak run against a running local host, sampled every window.")
    {
        CommandLineOptions.Url("http://127.0.0.1:7071"),
        CommandLineOptions.Typed<IReadOnlyList<double>?>(
            "--rates", "events/s per step, each for --step-seconds (a ladder to find the sustainable rate)", "r1,r2,…",
            value => (Rates(value) is not null, Rates(value)),
            value => $"Option '--rates': '{value}' is not a comma-separated list of rates above 0, e.g. 300,600,900."),
        CommandLineOptions.Typed<double?>(
            "--rate", "one rate in events/s for --minutes (a soak)", "events/s",
            value => (Rate(value) is not null, Rate(value)), value => $"Option '--rate': '{value}' is not a rate above 0, e.g. 210."),
        CommandLineOptions.Typed(
            "--minutes", "soak length", "n",
            value => (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var minutes) && minutes > 0 && minutes <= 7 * 24 * 60, minutes),
            value => $"Option '--minutes': '{value}' is not a number of minutes above 0 (a week at most).", () => 15.0),
        CommandLineOptions.Whole("--step-seconds", "ladder step length", 60, 1, 86_400),
        CommandLineOptions.Whole("--window-seconds", "sampling window", 10, 1, 3_600),
        CommandLineOptions.Typed<int?>(
            "--pid", "the host process, for memory and handles (default: found by name)", "pid",
            value => (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0, pid),
            value => $"Option '--pid': '{value}' is not a process id."),
        CommandLineOptions.Typed<string?>(
            "--cosmos", "the host's Cosmos DB endpoint, to read the sent events back (default https://127.0.0.1:8081/)", "url",
            value => (Uri.TryCreate(value, UriKind.Absolute, out var endpoint) && endpoint.Scheme == Uri.UriSchemeHttps, value),
            value => $"Option '--cosmos': '{value}' is not an absolute https:// URL, e.g. https://127.0.0.1:8081/."),
        new Option<string>("--out")
        {
            Description = "CSV, SVG and PNG path without extension, from the repository root", HelpName = "path", DefaultValueFactory = _ => Path.Combine("artifacts", "soak"),
        },
        new Option<string?>("--plot") { Description = "only redraw the SVG and PNG of a finished run from its CSV", HelpName = "csv" },
    };

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var command = Command();
        if (CommandLineOptions.Parse(command, args, output, null, out var parsed) is { } exit)
        {
            return exit;
        }

        if (parsed.GetValue<string?>("--plot") is { } plotted)
        {
            var csv = FromRoot(plotted);
            var rows = (await File.ReadAllLinesAsync(csv, cancellationToken)).Skip(1).Where(line => line.Length > 0)
                .Select(line => line.Split(',').Select(cell => double.Parse(cell, CultureInfo.InvariantCulture)).ToArray())
                .Select(cells => new SoakSample(cells[0], cells[1], cells[2], cells[3], (long)cells[4], (long)cells[5], (long)cells[6], cells[7], (int)cells[8])).ToList();
            SoakPlot.Save(rows, Path.ChangeExtension(csv, null));
            await output.WriteLineAsync($"wrote {Path.ChangeExtension(csv, ".svg")} and {Path.ChangeExtension(csv, ".png")}");
            return 0;
        }

        var url = parsed.GetRequiredValue<string>("--url");
        var rates = parsed.GetValue<IReadOnlyList<double>?>("--rates");
        var soakRate = parsed.GetValue<double?>("--rate");
        if (CommandLineOptions.Refuse(command.Name, rates is null && soakRate is null ? "Options '--rate' (a soak) or '--rates' (a ladder) are needed, or '--plot'." : null, output) is not 0 and var missing)
        {
            return missing;
        }

        var window = TimeSpan.FromSeconds(parsed.GetValue<int>("--window-seconds"));
        var steps = rates is not null
            ? rates.Select(step => (Rate: step, Length: TimeSpan.FromSeconds(parsed.GetValue<int>("--step-seconds")))).ToList()
            : [(Rate: soakRate!.Value, Length: TimeSpan.FromMinutes(parsed.GetValue<double>("--minutes")))];
        var pid = parsed.GetValue<int?>("--pid") ?? FindHost();
        var outPath = FromRoot(parsed.GetRequiredValue<string>("--out"));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);

        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        var startHead = (await http.GetFromJsonAsync<JsonElement>("/api/local/eventlog", cancellationToken)).GetProperty("head").GetInt64();

        // One long simulated stream, consumed window by window: the last seven days, oldest first (so every event lies in
        // the past), about 200,000 events a day, each day's ids its own.
        var stores = StoreSeed.Generate();
        using var stream = Enumerable.Range(1, 7).Reverse()
            .SelectMany(daysAgo => new OmniDaySimulator(new SimulationOptions(7, 20_000, stores, new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-daysAgo), TimeSpan.Zero))).Generate())
            .GetEnumerator();
        var samples = new List<SoakSample>();
        await File.WriteAllTextAsync(outPath + ".csv", "seconds,offered,accepted,p99ms,refused,lag,ingested,rssmb,handles\n", cancellationToken);
        var started = DateTimeOffset.UtcNow;
        long sent = 0, accepted = 0;
        var decoder = new EventDecoder(new EventValidator(TimeProvider.System, new ContractOptions()), new ContractOptions());
        var sentDocuments = new List<(string Id, string PartitionKey)>();
        await output.WriteLineAsync("   t(s)  offered/s  accepted/s   p99 ms  refused  lag      ingested   RSS MB  handles");
        var exhausted = false;
        var runLatencies = LatencyPercentiles.Histogram();
        foreach (var (stepRate, length) in steps)
        {
            var stepEnd = DateTimeOffset.UtcNow + length;
            var stepLatencies = LatencyPercentiles.Histogram();
            while (DateTimeOffset.UtcNow < stepEnd && !exhausted && !cancellationToken.IsCancellationRequested)
            {
                var count = (int)Math.Round(stepRate * window.TotalSeconds);
                var events = Take(stream, count);
                if (events.Count < count)
                {
                    // Seven simulated days are spent: the run ends here rather than offer less than it says.
                    exhausted = true;
                    await output.WriteLineAsync($"the simulated week is spent after {sent + events.Count} events; the run stops here");
                    if (events.Count == 0)
                    {
                        break;
                    }
                }

                sentDocuments.AddRange(events.Select(cloudEvent => decoder.DecodeStored(Encoding.UTF8.GetBytes(cloudEvent.ToJsonString())))
                    .Select(omniEvent => (omniEvent.Key, omniEvent.PartitionKey.ToString())));
                var replayer = new TrafficReplayer(http, new ReplayOptions(new Uri(url)) { BatchSize = EventsPerRequest, Concurrency = 8, EventsPerSecond = stepRate, MaxAttempts = 1 });
                var windowStart = DateTimeOffset.UtcNow;
                var summary = await replayer.ReplayAsync(events, cancellationToken: cancellationToken);
                sent += summary.EventsSent;
                accepted += summary.EventsAccepted;
                stepLatencies.Add(summary.LatencyHistogram);
                var log = await http.GetFromJsonAsync<JsonElement>("/api/local/eventlog", cancellationToken);
                var (rss, handles) = ProcessUse(pid);
                var sample = new SoakSample(
                    (DateTimeOffset.UtcNow - started).TotalSeconds, stepRate, summary.EventsAccepted / (DateTimeOffset.UtcNow - windowStart).TotalSeconds,
                    summary.LatencyP99Milliseconds, summary.EventsSent - summary.EventsAccepted, log.GetProperty("lag").GetInt64(),
                    log.GetProperty("ingested").GetInt64() - startHead, rss, handles);
                samples.Add(sample);
                await File.AppendAllTextAsync(outPath + ".csv", string.Create(CultureInfo.InvariantCulture,
                    $"{sample.Seconds:0},{sample.Offered:0},{sample.Accepted:0.0},{sample.P99Ms:0.0},{sample.Refused},{sample.Lag},{sample.Ingested},{sample.RssMb:0.0},{sample.Handles}\n"), cancellationToken);
                SoakPlot.Save(samples, outPath);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{sample.Seconds,7:0} {sample.Offered,10:0} {sample.Accepted,11:0} {sample.P99Ms,8:0} {sample.Refused,8} {sample.Lag,-8} {sample.Ingested,9} {sample.RssMb,8:0} {sample.Handles,8}"));
            }

            // A window's p99 rests on its hundred-odd requests (one slow answer sets it); the step's, on all of them.
            runLatencies.Add(stepLatencies);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"step {stepRate:0}/s: p50 {LatencyPercentiles.Percentile(stepLatencies, 0.50):0} ms, p99 {LatencyPercentiles.Percentile(stepLatencies, 0.99):0} ms, max {LatencyPercentiles.Percentile(stepLatencies, 1):0} ms over {stepLatencies.TotalCount} requests"));
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"whole run: p50 {LatencyPercentiles.Percentile(runLatencies, 0.50):0} ms, p99 {LatencyPercentiles.Percentile(runLatencies, 0.99):0} ms, p99.9 {LatencyPercentiles.Percentile(runLatencies, 0.999):0} ms over {runLatencies.TotalCount} requests of {EventsPerRequest} events"));

        // Drain: everything accepted must reach Cosmos DB.
        var drainDeadline = DateTimeOffset.UtcNow.AddMinutes(15);
        JsonElement state;
        do
        {
            await Task.Delay(2_000, cancellationToken);
            state = await http.GetFromJsonAsync<JsonElement>("/api/local/eventlog", cancellationToken);
        }
        while (state.GetProperty("lag").GetInt64() > 0 && DateTimeOffset.UtcNow < drainDeadline);

        var drained = (DateTimeOffset.UtcNow - started).TotalSeconds;
        var checkStarted = DateTimeOffset.UtcNow;
        var stored = await CountStoredAsync(parsed.GetValue<string?>("--cosmos"), sentDocuments, cancellationToken);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"sent {sent}, accepted {accepted}, refused {sent - accepted}; ingest drained at {drained:0} s (lag {state.GetProperty("lag").GetInt64()}); in Cosmos DB: {stored} of the {sentDocuments.Count} sent events ({(DateTimeOffset.UtcNow - checkStarted).TotalSeconds:0} s of point reads)"));
        await output.WriteLineAsync($"wrote {outPath}.csv, {outPath}.svg and {outPath}.png");
        return accepted == stored ? 0 : 1;
    }

    private static List<System.Text.Json.Nodes.JsonObject> Take(IEnumerator<System.Text.Json.Nodes.JsonObject> stream, int count)
    {
        var taken = new List<System.Text.Json.Nodes.JsonObject>(count);
        while (taken.Count < count && stream.MoveNext())
        {
            taken.Add(stream.Current);
        }

        return taken;
    }

    /// <summary>Resident memory (MB) and open file descriptors of the host, from /proc.</summary>
    private static (double RssMb, int Handles) ProcessUse(int pid)
    {
        try
        {
            var rssKb = File.ReadLines($"/proc/{pid}/status").First(line => line.StartsWith("VmRSS:", StringComparison.Ordinal))
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            return (double.Parse(rssKb, CultureInfo.InvariantCulture) / 1024, Directory.GetFiles($"/proc/{pid}/fd").Length);
        }
        catch (IOException)
        {
            return (double.NaN, -1);
        }
    }

    private static int FindHost() =>
        System.Diagnostics.Process.GetProcesses().FirstOrDefault(process => process.ProcessName.StartsWith("OmniChannel.Loc", StringComparison.Ordinal) && process.Id != Environment.ProcessId)?.Id
        ?? throw new InvalidOperationException("No running OmniChannel.Local host found; pass --pid.");

    /// <summary>
    /// How many of the sent events are in the host's Cosmos DB: one point read each (an event's document id and
    /// partition key follow from the event), 32 at a time. A change-feed count of the whole container would be one
    /// response of every document, which the local server cannot build in time once it holds a few hundred thousand.
    /// </summary>
    private static async Task<long> CountStoredAsync(string? endpoint, IReadOnlyList<(string Id, string PartitionKey)> documents, CancellationToken cancellationToken)
    {
        using var client = new CosmosClient(endpoint ?? "https://127.0.0.1:8081/", CosmosServer.AccountKey, new CosmosClientOptions
        {
            ConnectionMode = ConnectionMode.Gateway,
            LimitToEndpoint = true,
            HttpClientFactory = () => new HttpClient(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } }),
        });
        var container = client.GetContainer(Core.OmniChannelNames.Database, Core.OmniChannelNames.Containers.Events);
        long found = 0;
        await Parallel.ForEachAsync(documents, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, async (document, token) =>
        {
            using var response = await container.ReadItemStreamAsync(document.Id, new PartitionKey(document.PartitionKey), cancellationToken: token);
            if (response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref found);
            }
            else if (response.StatusCode != System.Net.HttpStatusCode.NotFound)
            {
                throw new InvalidOperationException($"Reading event {document.Id} back answered {(int)response.StatusCode}: {response.ErrorMessage}");
            }
        });
        return found;
    }

    /// <summary>`dotnet run --project` runs in the project's folder: relative paths are taken from the repository root, as the README writes them.</summary>
    private static string FromRoot(string path) => Path.IsPathRooted(path) ? path : Path.Combine(RepositoryRoot.Find(), path);

    private static List<double>? Rates(string value) =>
        value.Split(',').Select(Rate).ToList() is var rates && rates.All(rate => rate is not null) ? rates.Select(rate => rate!.Value).ToList() : null;

    private static double? Rate(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && double.IsFinite(rate) && rate > 0 ? rate : null;
}

public sealed record SoakSample(double Seconds, double Offered, double Accepted, double P99Ms, long Refused, long Lag, long Ingested, double RssMb, int Handles);

/// <summary>
/// Three stacked line charts over time, drawn with ScottPlot: rate (offered, accepted, ingested), p99 collect latency
/// against the 200 ms target, memory and handles; written as SVG and PNG alike.
/// </summary>
public static class SoakPlot
{
    private const int Width = 1000;

    private const int PanelHeight = 240;

    /// <summary>Writes <paramref name="path"/>.svg and <paramref name="path"/>.png.</summary>
    public static void Save(IReadOnlyList<SoakSample> samples, string path)
    {
        var plots = Plots(samples);
        using (var surface = SKSurface.Create(new SKImageInfo(Width, PanelHeight * plots.Count)))
        {
            Draw(surface.Canvas, plots);
            using var image = surface.Snapshot();
            using var png = image.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(path + ".png", png.ToArray());
        }

        File.WriteAllText(path + ".svg", Svg(plots));
    }

    /// <summary>The plot as an SVG document.</summary>
    public static string Svg(IReadOnlyList<SoakSample> samples) => Svg(Plots(samples));

    private static string Svg(IReadOnlyList<Plot> plots)
    {
        using var stream = new MemoryStream();
        using (var canvas = SKSvgCanvas.Create(new SKRect(0, 0, Width, PanelHeight * plots.Count), stream))
        {
            Draw(canvas, plots);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Draw(SKCanvas canvas, IReadOnlyList<Plot> plots)
    {
        canvas.Clear(SKColors.White);
        for (var index = 0; index < plots.Count; index++)
        {
            // A plot clears what it is drawn on: each panel gets only its own strip.
            canvas.Save();
            canvas.ClipRect(new SKRect(0, PanelHeight * index, Width, PanelHeight * (index + 1)));
            plots[index].Render(canvas, new PixelRect(0, Width, PanelHeight * (index + 1), PanelHeight * index));
            canvas.Restore();
        }
    }

    private static List<Plot> Plots(IReadOnlyList<SoakSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var seconds = samples.Select(sample => sample.Seconds).ToList();
        var end = Math.Max(1, samples.Count == 0 ? 1 : samples[^1].Seconds);
        // Ingested per second: the growth of the ingest checkpoint between two samples.
        var ingestedPerSecond = samples.Select((sample, i) => i == 0 ? double.NaN : (sample.Ingested - samples[i - 1].Ingested) / (sample.Seconds - samples[i - 1].Seconds)).ToList();
        return
        [
            Panel("events/s", [("offered", samples.Select(s => s.Offered).ToList(), "#0b6bcb"), ("accepted by the collect API", samples.Select(s => s.Accepted).ToList(), "#1d7a3a"),
                ("ingested into Cosmos DB", ingestedPerSecond, "#111827")], Alignment.LowerRight),
            Panel("collect p99 latency, ms", [("p99", samples.Select(s => s.P99Ms).ToList(), "#c2410c")], Alignment.UpperRight, target: 200),
            Panel("host memory, MB · open handles", [("memory, MB", samples.Select(s => s.RssMb).ToList(), "#6d28d9"), ("open handles", samples.Select(s => (double)s.Handles).ToList(), "#6b7280")],
                Alignment.LowerRight, xLabel: string.Create(CultureInfo.InvariantCulture, $"seconds since start (last sample at {end:0} s)")),
        ];

        Plot Panel(string title, IReadOnlyList<(string Name, List<double> Values, string Colour)> series, Alignment legend, double? target = null, string? xLabel = null)
        {
            var plot = new Plot();
            plot.Title(title, 14);
            foreach (var (name, values, colour) in series)
            {
                // A sample that could not be read (NaN) is left out, not drawn as a drop to 0.
                var points = values.Select((value, i) => (X: seconds[i], Y: value)).Where(point => double.IsFinite(point.Y)).ToList();
                if (points.Count == 0)
                {
                    continue;
                }

                var line = plot.Add.ScatterLine(points.Select(point => point.X).ToArray(), points.Select(point => point.Y).ToArray(), Color.FromHex(colour));
                line.LineWidth = 2;
                line.LegendText = name;
            }

            if (target is { } level)
            {
                var targetLine = plot.Add.HorizontalLine(level, 1.5f, Color.FromHex("#f59e0b"), LinePattern.Dashed);
                targetLine.LegendText = string.Create(CultureInfo.InvariantCulture, $"{level:0} ms target");
            }

            var max = Math.Max(target ?? 0, series.SelectMany(line => line.Values).Where(double.IsFinite).DefaultIfEmpty(1).Max()) * 1.1;
            plot.Axes.SetLimits(0, end, 0, max);
            plot.ShowLegend(legend);

            // The same margins in every panel, so that their time axes line up.
            plot.Layout.Fixed(new PixelPadding(70, 20, xLabel is null ? 36 : 56, 40));
            if (xLabel is not null)
            {
                plot.XLabel(xLabel, 13);
            }

            return plot;
        }
    }
}
