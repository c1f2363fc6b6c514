using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;

// Opens each console page in a fresh browser context (cold: nothing cached) and again in the same context (warm), and
// reports the time until the page shows its content (its heading, and no "Loading…" left) and the bytes transferred.
// With --screenshots <dir> it then saves a picture of each page (the README's, in docs/console).
// Usage: dotnet run -c Release --project benchmarks/OmniChannel.ConsoleLoad -- [--url http://127.0.0.1:7071/] [--runs 10] [--store 0001]
//        [--rule walk-in-after-browsing] [--screenshots docs/console]
var url = Option("--url", "http://127.0.0.1:7071/");
var runs = int.Parse(Option("--runs", "10"), CultureInfo.InvariantCulture);
var store = Option("--store", "0001");
var rule = Option("--rule", "walk-in-after-browsing");
var screenshots = Option("--screenshots", "");
var chromium = Environment.GetEnvironmentVariable("OMNICHANNEL_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true });
Console.WriteLine($"Console at {url}, {runs} runs per page, Chromium {browser.Version}");
Console.WriteLine("page              cold p50 ms  cold max ms  warm p50 ms  requests  bytes (cold)");
foreach (var page in new[] { "", "rules", $"pickup/{store}", "insights" })
{
    var cold = new List<double>();
    var warm = new List<double>();
    long bytes = 0;
    var requests = 0;
    for (var run = 0; run < runs; run++)
    {
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = url, ViewportSize = new ViewportSize { Width = 1024, Height = 768 } });
        var tab = await context.NewPageAsync();
        var transferred = new List<IResponse>();
        tab.Response += (_, response) => transferred.Add(response);
        cold.Add(await LoadAsync(tab, page));
        if (run == 0)
        {
            foreach (var response in transferred)
            {
                var sizes = await response.Request.SizesAsync();
                bytes += sizes.ResponseBodySize + sizes.ResponseHeadersSize;
            }

            requests = transferred.Count;
        }

        warm.Add(await LoadAsync(tab, page));
    }

    Console.WriteLine($"/{page,-16} {Median(cold),11:0} {cold.Max(),12:0} {Median(warm),12:0} {requests,9} {bytes,13:N0}");
}

if (screenshots.Length > 0)
{
    Directory.CreateDirectory(screenshots);
    foreach (var (name, page, width, height) in new[]
    {
        ("rules", "rules", 1024, 768), ("simulate", $"rules/{rule}/simulate", 1024, 768), ("pickup", $"pickup/{store}", 800, 1100),
        ("insights", "insights", 1280, 900), ("phone-rule-form", "rules/new", 390, 844),
    })
    {
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = url, ViewportSize = new ViewportSize { Width = width, Height = height } });
        var tab = await context.NewPageAsync();
        await LoadAsync(tab, page);
        await tab.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, name + ".png"), FullPage = name is not ("phone-rule-form" or "simulate") });
        Console.WriteLine($"saved {Path.Combine(screenshots, name + ".png")}");
    }
}

return 0;

static async Task<double> LoadAsync(IPage tab, string page)
{
    var watch = Stopwatch.StartNew();
    await tab.GotoAsync(page, new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
    await tab.Locator("h1").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
    await tab.WaitForFunctionAsync("() => document.querySelectorAll('.loading').length === 0", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
    return watch.Elapsed.TotalMilliseconds;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

string Option(string name, string fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}
