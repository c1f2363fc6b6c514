using Microsoft.Playwright;

namespace OmniChannel.Console.BrowserTests;

/// <summary>What a person notices: every page fits a phone, and the keyboard alone gets things done.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class AccessibilityTests(ConsoleHost console)
{
    [Theory]
    [InlineData("")]
    [InlineData("rules")]
    [InlineData("rules/new")]
    [InlineData("pickup/0001")]
    [InlineData("insights")]
    [InlineData("customers")]
    public async Task EveryPage_FitsAPhoneScreen_WithoutSidewaysScrolling(string path)
    {
        var (page, errors) = await console.OpenAsync(path, width: 390, height: 844);
        await Assertions.Expect(page.Locator("h1")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".loading")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
        var widest = await page.EvaluateAsync<string>(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-wrap > *')).slice(0, 5).map(e => e.tagName + '.' + e.className).join(', ')");
        Assert.True(overflow <= 0, $"/{path} is {overflow} px wider than a 390 px phone screen: {widest}");
        if (path == "rules/new")
        {
            await ConsoleHost.ScreenshotAsync(page, "phone-rule-form");
        }

        Assert.Empty(errors);
    }

    [Fact]
    public async Task TheKeyboardAlone_StartsAtTheHeading_TabsIntoTheForm_AndSubmitsIt()
    {
        var (page, _) = await console.OpenAsync("rules/new");

        // Navigation puts focus on the page's heading (a screen reader announces it); the next Tab is the first field.
        await Assertions.Expect(page.Locator("h1")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.GetByLabel("Name", new() { Exact = true })).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("Typed with the keyboard");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("tr[data-rule='typed-with-the-keyboard']")).ToBeVisibleAsync();
    }
}
