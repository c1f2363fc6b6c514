using Microsoft.Playwright;

namespace OmniChannel.Console.BrowserTests;

/// <summary>No blank page: when the API is down or refuses, the page says what happened and what to do.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleResilienceTests(ConsoleHost console)
{
    [Fact]
    public async Task WhenTheApiCannotBeReached_ThePageSaysToStartTheBackbone_AndRetryRecovers()
    {
        var context = await console.Browser.NewContextAsync(new() { BaseURL = console.BaseUrl });
        var page = await context.NewPageAsync();
        var down = true;
        await page.RouteAsync("**/api/remarketing/rules", async route =>
        {
            if (down)
            {
                await route.AbortAsync("connectionrefused");
            }
            else
            {
                await route.ContinueAsync();
            }
        });
        await ConsoleHost.GoToAsync(page, "rules");
        var alert = page.GetByRole(AriaRole.Alert);
        await Assertions.Expect(alert).ToContainTextAsync("cannot be reached");
        await Assertions.Expect(alert).ToContainTextAsync("dotnet run --project functions/OmniChannel.Local");

        down = false;
        await alert.GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Table)).ToBeVisibleAsync();
        await context.DisposeAsync();
    }

    [Fact]
    public async Task AnUnauthorizedAnswer_AsksForTheAdminKey_WhichIsKeptForTheTabOnly()
    {
        var context = await console.Browser.NewContextAsync(new() { BaseURL = console.BaseUrl });
        var page = await context.NewPageAsync();
        string? presentedKey = null;
        await page.RouteAsync("**/api/remarketing/rules", async route =>
        {
            presentedKey = route.Request.Headers.TryGetValue("x-api-key", out var key) ? key : null;
            if (presentedKey != "the-admin-key")
            {
                await route.FulfillAsync(new()
                {
                    Status = 401,
                    ContentType = "application/problem+json",
                    Body = """{"type":"https://omnichannel.example/problems/unauthorized","title":"Unauthorized","status":401,"detail":"This is an admin route: send the admin key."}""",
                });
            }
            else
            {
                await route.ContinueAsync();
            }
        });
        await ConsoleHost.GoToAsync(page, "rules");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("enter the admin key");

        await page.GetByRole(AriaRole.Button, new() { Name = "Key" }).ClickAsync();
        await page.GetByLabel("API key").FillAsync("the-admin-key");
        await page.GetByLabel("API key").PressAsync("Enter");
        await page.GetByRole(AriaRole.Alert).GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Table)).ToBeVisibleAsync();
        Assert.Equal("the-admin-key", presentedKey);
        Assert.Equal("the-admin-key", await page.EvaluateAsync<string>("sessionStorage.getItem('omnichannel.key')"));
        Assert.Null(await page.EvaluateAsync<string?>("localStorage.getItem('omnichannel.key')"));
        await context.DisposeAsync();
    }

    [Fact]
    public async Task AnUnknownAddress_ShowsTheNotFoundPage_NotABlankOne()
    {
        var (page, _) = await console.OpenAsync("no-such-page");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "There is no such page" })).ToBeVisibleAsync();
    }
}
