using Microsoft.Playwright;

namespace OmniChannel.Console.BrowserTests;

[Collection(ConsoleCollection.Name)]
public sealed class PickupPageTests(ConsoleHost console)
{
    [Fact]
    public async Task PickedThenCollected_MovesTheOrderThroughTheQueue_AndTheApiAgrees()
    {
        var bopis = new BopisDriver(console.Host);
        await bopis.PlaceReservedOrderAsync("ord-pickup-page", "c-pickup-page", "0002", "SKU-PICKUP-PAGE", quantity: 1, stock: 3);

        // A tablet held upright.
        var (page, errors) = await console.OpenAsync("pickup", width: 800, height: 1100);
        await page.GetByLabel("Store").SelectOptionAsync("0002");
        var order = page.Locator("article[data-order='ord-pickup-page']");
        await Assertions.Expect(order).ToHaveAttributeAsync("data-queue", "AwaitingPick");
        await Assertions.Expect(order).ToContainTextAsync("1 × SKU-PICKUP-PAGE");
        await Assertions.Expect(order.Locator(".due")).ToContainTextAsync("left");
        await ConsoleHost.ScreenshotAsync(page, "pickup");

        await order.GetByRole(AriaRole.Button, new() { Name = "Picked" }).ClickAsync();
        await Assertions.Expect(order).ToHaveAttributeAsync("data-queue", "Ready", new() { Timeout = 30_000 });
        Assert.Equal("ready", (await console.GetJsonAsync("/api/orders/ord-pickup-page")).GetProperty("order").GetProperty("status").GetString());
        await ConsoleHost.ScreenshotAsync(page, "pickup-ready");

        await order.GetByRole(AriaRole.Button, new() { Name = "Collected" }).ClickAsync();
        await Assertions.Expect(order).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        await bopis.WaitForStatusAsync("ord-pickup-page", "collected");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task AStoreWithoutPickup_IsNotOffered_AndAnUnknownStoreSaysSo()
    {
        var stores = await console.GetJsonAsync("/api/stores");
        var withoutPickup = stores.EnumerateArray().First(store => !store.GetProperty("bopisEnabled").GetBoolean()).GetProperty("id").GetString()!;
        var (page, _) = await console.OpenAsync("pickup");
        await Assertions.Expect(page.GetByLabel("Store").Locator($"option[value='{withoutPickup}']")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByLabel("Store").Locator("option[value='0002']")).ToHaveCountAsync(1);

        await page.GotoAsync("pickup/9999");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not found");
    }
}
