using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace OmniChannel.Console.BrowserTests;

/// <summary>What a first visit gets before and while .NET starts: the page's frame at once, the framework's files compressed.</summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class FirstLoadTests(ConsoleHost console)
{
    [Fact]
    public async Task BeforeTheRuntimeStarts_TheShellShowsTheLayoutsNavigation_WithTheCurrentPageMarked()
    {
        var context = await console.Browser.NewContextAsync(new() { BaseURL = console.BaseUrl, ViewportSize = new ViewportSize { Width = 1024, Height = 768 } });
        // Blazor's script never arrives: what is on screen is index.html alone.
        await context.RouteAsync("**/_framework/blazor.webassembly*.js", route => route.AbortAsync());
        var shell = await context.NewPageAsync();
        await shell.GotoAsync("rules/new");

        var shellLinks = await NavigationAsync(shell);
        await Assertions.Expect(shell.GetByRole(AriaRole.Status)).ToHaveTextAsync("Starting the console…");
        await ConsoleHost.ScreenshotAsync(shell, "shell");

        var (app, errors) = await console.OpenAsync("rules/new");
        Assert.Equal(["Rules", "Pickup", "Customers", "Insights"], shellLinks.Select(link => link.Name));
        Assert.Equal(await NavigationAsync(app), shellLinks);
        Assert.Equal("Rules", Assert.Single(shellLinks, link => link.Active).Name);
        Assert.Empty(errors);
        await context.DisposeAsync();
    }

    [Fact]
    public async Task TheRuntimesFiles_AreServedPrecompressed_AndCachedForAYear()
    {
        // dotnet.js names every file of the app with its fingerprint; CoreLib is the largest assembly.
        var loader = await console.Host.Client.GetStringAsync("/_framework/dotnet.js");
        var coreLib = CoreLibName().Match(loader).Value;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/_framework/" + coreLib);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));

        using var response = await console.Host.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var encoding = Assert.Single(response.Content.Headers.ContentEncoding);
        var sent = await response.Content.ReadAsByteArrayAsync();
        await using var decoder = encoding switch
        {
            "br" => (Stream)new BrotliStream(new MemoryStream(sent), CompressionMode.Decompress),
            "gzip" => new GZipStream(new MemoryStream(sent), CompressionMode.Decompress),
            _ => throw new InvalidOperationException($"Unexpected Content-Encoding {encoding}"),
        };
        using var decoded = new MemoryStream();
        await decoder.CopyToAsync(decoded);

        // Compiled code compresses to well under half; a file merely wrapped in gzip (level 0) would not.
        Assert.True(sent.Length * 2 < decoded.Length, $"{coreLib}: {sent.Length:N0} bytes sent ({encoding}) for {decoded.Length:N0}");
        Assert.True(response.Headers.CacheControl?.Extensions.Any(extension => extension.Name == "immutable"), $"Cache-Control: {response.Headers.CacheControl}");
        Assert.Equal(TimeSpan.FromDays(365), response.Headers.CacheControl?.MaxAge);
    }

    private static async Task<List<(string Name, bool Active)>> NavigationAsync(IPage page)
    {
        var links = new List<(string Name, bool Active)>();
        foreach (var link in await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link).AllAsync())
        {
            links.Add(((await link.InnerTextAsync()).Trim(), await link.EvaluateAsync<bool>("link => link.classList.contains('active')")));
        }

        return links;
    }

    [GeneratedRegex(@"System\.Private\.CoreLib\.[a-z0-9]+\.wasm")]
    private static partial Regex CoreLibName();
}
