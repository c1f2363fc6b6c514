using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using OmniChannel.Simulation;

// Opens each console page in a fresh browser context (cold: nothing cached) and reloads it in the same context (warm).
// Every time is read from the page's own performance timeline (0 = navigation start), so Playwright's round trips do
// not count:
//   first paint / first contentful paint  Chromium's 'paint' entries: when something (the static shell) is on screen;
//   interactive                           <html data-ready="true">, set by App.razor once Blazor has rendered;
//   content                               interactive, the page's heading shown and no "Loading…" left (its API calls done).
// From the first cold load of each page: requests, bytes over the wire, bytes after decoding, how many responses were
// compressed, and the .NET files the runtime fetched (assemblies, ICU data); --files lists them.
// With --screenshots <dir> it also saves the shell as it looks before the runtime starts (the framework's script held
// back) and each page once ready (the README's pictures, in docs/console).
// Usage: dotnet run -c Release --project benchmarks/OmniChannel.ConsoleLoad -- [--url http://127.0.0.1:7071/] [--runs 10] [--store 0001]
//        [--rule walk-in-after-browsing] [--screenshots docs/console] [--files]
var url = Option("--url", "http://127.0.0.1:7071/");
var runs = int.Parse(Option("--runs", "10"), CultureInfo.InvariantCulture);
var store = Option("--store", "0001");
var rule = Option("--rule", "walk-in-after-browsing");
var screenshots = Option("--screenshots", "");
var listFiles = args.Contains("--files");
var chromium = Environment.GetEnvironmentVariable("OMNICHANNEL_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

// Runs before any of the page's scripts: room for every resource entry (Chromium keeps 250 by default, the
// uncompressed build fetches more), and the moment data-ready appears. It watches the document, not
// document.documentElement: the element this script sees is not the one the parser goes on to fill.
const string RecordReady = """
    performance.setResourceTimingBufferSize(2000);
    new MutationObserver(() => {
        if (document.documentElement.dataset.ready === 'true' && window.__consoleReadyAt === undefined) {
            window.__consoleReadyAt = performance.now();
        }
    }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-ready'] });
    """;

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true });
Console.WriteLine($"Console at {url}, {runs} runs per page, Chromium {browser.Version}; times in ms from navigation start, p50/p95");
Console.WriteLine("page              first paint  first cont. paint  interactive    content  warm interactive  requests  bytes (cold)  decoded bytes  compressed  .NET files");
foreach (var page in new[] { "", "rules", $"pickup/{store}", "insights" })
{
    var firstPaint = LatencyPercentiles.Histogram();
    var contentfulPaint = LatencyPercentiles.Histogram();
    var interactive = LatencyPercentiles.Histogram();
    var content = LatencyPercentiles.Histogram();
    var warmInteractive = LatencyPercentiles.Histogram();
    PageLoad? first = null;
    for (var run = 0; run < runs; run++)
    {
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = url, ViewportSize = new ViewportSize { Width = 1024, Height = 768 } });
        await context.AddInitScriptAsync(RecordReady);
        var tab = await context.NewPageAsync();
        var load = await LoadAsync(tab, page);
        first ??= load;
        LatencyPercentiles.Record(firstPaint, load.FirstPaint);
        LatencyPercentiles.Record(contentfulPaint, load.FirstContentfulPaint);
        LatencyPercentiles.Record(interactive, load.Interactive);
        LatencyPercentiles.Record(content, load.Content);
        LatencyPercentiles.Record(warmInteractive, (await LoadAsync(tab, page)).Interactive);
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"/{page,-16} {Pair(firstPaint),12} {Pair(contentfulPaint),18} {Pair(interactive),12} {Pair(content),10} {Pair(warmInteractive),17} {first!.Requests,9} {first.TransferredBytes,13:N0} {first.DecodedBytes,14:N0} {first.Compressed,5} of {first.Requests,-3} {first.DotnetFiles.Length,10}"));
    if (listFiles)
    {
        Console.WriteLine("  " + string.Join(' ', first.DotnetFiles));
    }
}

if (screenshots.Length > 0)
{
    Directory.CreateDirectory(screenshots);
    await ShellScreenshotAsync(Path.Combine(screenshots, "shell.png"));
    foreach (var (name, page, width, height) in new[]
    {
        ("rules", "rules", 1024, 768), ("simulate", $"rules/{rule}/simulate", 1024, 768), ("pickup", $"pickup/{store}", 800, 1100),
        ("insights", "insights", 1280, 900), ("phone-rule-form", "rules/new", 390, 844),
    })
    {
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = url, ViewportSize = new ViewportSize { Width = width, Height = height } });
        await context.AddInitScriptAsync(RecordReady);
        var tab = await context.NewPageAsync();
        await LoadAsync(tab, page);
        await tab.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, name + ".png"), FullPage = name is not ("phone-rule-form" or "simulate") });
        Console.WriteLine($"saved {Path.Combine(screenshots, name + ".png")}");
    }
}

return 0;

// What a user sees before .NET has started: the Rules page with Blazor's script never answered.
async Task ShellScreenshotAsync(string file)
{
    await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = url, ViewportSize = new ViewportSize { Width = 1024, Height = 768 } });
    await context.RouteAsync("**/_framework/blazor.webassembly*.js", route => route.AbortAsync());
    var tab = await context.NewPageAsync();
    await tab.GotoAsync("rules", new PageGotoOptions { WaitUntil = WaitUntilState.Load });
    await tab.ScreenshotAsync(new PageScreenshotOptions { Path = file });
    Console.WriteLine($"saved {file} (the static shell, before the runtime starts)");
}

static async Task<PageLoad> LoadAsync(IPage tab, string page)
{
    await tab.GotoAsync(page, new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
    var wait = new PageWaitForFunctionOptions { Timeout = 60_000, PollingInterval = null };
    // The page's own clock at the first frame that has data-ready, a heading and no loading indicator.
    var contentAt = await tab.WaitForFunctionAsync(
        "() => window.__consoleReadyAt !== undefined && document.querySelector('h1') && document.querySelectorAll('.loading').length === 0 ? performance.now() : false",
        null, wait);
    var measured = await tab.EvaluateAsync<JsonElement>("""
        () => {
            const paint = name => performance.getEntriesByName(name, 'paint')[0]?.startTime ?? -1;
            const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
            return {
                firstPaint: paint('first-paint'),
                firstContentfulPaint: paint('first-contentful-paint'),
                interactive: window.__consoleReadyAt,
                requests: entries.length,
                transferred: entries.reduce((sum, e) => sum + e.transferSize, 0),
                decoded: entries.reduce((sum, e) => sum + e.decodedBodySize, 0),
                compressed: entries.filter(e => e.encodedBodySize > 0 && e.encodedBodySize < e.decodedBodySize).length,
                dotnetFiles: entries.map(e => new URL(e.name).pathname).filter(p => /^\/_framework\/.*\.(wasm|dat)$/.test(p)).map(p => p.substring(12)),
            };
        }
        """);
    return new PageLoad(
        measured.GetProperty("firstPaint").GetDouble(), measured.GetProperty("firstContentfulPaint").GetDouble(),
        measured.GetProperty("interactive").GetDouble(), (await contentAt.JsonValueAsync<double>()),
        measured.GetProperty("requests").GetInt32(), measured.GetProperty("transferred").GetInt64(), measured.GetProperty("decoded").GetInt64(),
        measured.GetProperty("compressed").GetInt32(), [.. measured.GetProperty("dotnetFiles").EnumerateArray().Select(file => file.GetString()!)]);
}

static string Pair(HdrHistogram.HistogramBase times) =>
    string.Create(CultureInfo.InvariantCulture, $"{LatencyPercentiles.Percentile(times, 0.50):0}/{LatencyPercentiles.Percentile(times, 0.95):0}");

string Option(string name, string fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}

internal sealed record PageLoad(
    double FirstPaint, double FirstContentfulPaint, double Interactive, double Content, int Requests, long TransferredBytes, long DecodedBytes, int Compressed, string[] DotnetFiles);
