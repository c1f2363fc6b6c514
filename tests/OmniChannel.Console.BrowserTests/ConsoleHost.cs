using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using OmniChannel.LocalServers;

namespace OmniChannel.Console.BrowserTests;

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleHost>
{
    public const string Name = "console";
}

/// <summary>
/// One local host and one Chromium for every console test. Chromium is Debian's (<c>/usr/bin/chromium</c>, installed by
/// .ci/run), or the one named by OMNICHANNEL_CHROMIUM; Playwright's own browser download is not available here.
/// </summary>
public sealed class ConsoleHost : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public LocalHostProcess Host { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl => Host.Client.BaseAddress!.ToString();

    /// <summary>Where each test's screenshot goes (the README's pictures in docs/console are copied from here).</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(RepositoryRoot.Find(), "artifacts", "console-screenshots");

    public async Task InitializeAsync()
    {
        // A short pick SLA so the pickup page shows a countdown that means something within a test.
        Host = await LocalHostProcess.StartAsync(extraArguments: new Dictionary<string, string> { ["OmniChannel:Bopis:PickSla"] = "00:30:00" });
        var chromium = Environment.GetEnvironmentVariable("OMNICHANNEL_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            throw new FileNotFoundException($"No Chromium at {chromium}. Run the tests with ./test.sh (it installs Debian's chromium and fonts-liberation), or set OMNICHANNEL_CHROMIUM.");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
    }

    /// <summary>A fresh tab at tablet/laptop size (1024×768) that records console errors, so a test can assert there were none.</summary>
    public async Task<(IPage Page, List<string> Errors)> OpenAsync(string path, int width = 1024, int height = 768)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            // A failed load is reported below with its address; other console errors are the page's own.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                errors.Add(message.Text);
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                errors.Add($"{response.Status} {response.Request.Method} {response.Url}");
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        await GoToAsync(page, path);
        return (page, errors);
    }

    /// <summary>
    /// Goes to a console address and waits until the app says it has rendered (<c>&lt;html data-ready="true"&gt;</c>,
    /// set by App.razor), so no expectation races the WebAssembly download and start.
    /// </summary>
    public static async Task GoToAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await page.WaitForSelectorAsync("html[data-ready='true']", new() { State = WaitForSelectorState.Attached, Timeout = 60_000 });
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    public async Task PostEventAsync(JsonObject cloudEvent)
    {
        using var response = await Host.Client.PostAsync("/api/events", new StringContent(cloudEvent.ToJsonString(), Encoding.UTF8, "application/cloudevents+json"));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    public static JsonObject Event(string id, string type, string channel, string? customerId, JsonObject data, string source = "/app/ios")
    {
        var cloudEvent = new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = id,
            ["source"] = source,
            ["type"] = type,
            ["time"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["channel"] = channel,
            ["data"] = data,
        };
        if (customerId is not null)
        {
            cloudEvent["customerid"] = customerId;
        }

        return cloudEvent;
    }

    public async Task<JsonElement> WaitForAsync(string path, Func<JsonElement, bool> reached)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var last = "(nothing yet)";
        while (DateTime.UtcNow < deadline)
        {
            using var response = await Host.Client.GetAsync(path);
            last = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode && JsonDocument.Parse(last).RootElement is var body && reached(body))
            {
                return body.Clone();
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"{path} did not reach the expected state: {last}\n{Host.Output}");
    }

    public async Task<string> PutRuleAsync(string id, JsonObject rule, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/remarketing/rules/{id}") { Content = new StringContent(rule.ToJsonString(), Encoding.UTF8, "application/json") };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        using var response = await Host.Client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return response.Headers.ETag!.ToString();
    }

    public async Task<JsonElement> GetJsonAsync(string path) => await Host.Client.GetFromJsonAsync<JsonElement>(path);
}
