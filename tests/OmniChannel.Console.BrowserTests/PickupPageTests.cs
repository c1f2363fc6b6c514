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
    public async Task ItemsMissing_PickedWithOneShort_TheOrderIsReadyWithWhatIsThere_RefundedAndTheCustomerHereIsShown()
    {
        var bopis = new BopisDriver(console.Host);
        await bopis.PlaceReservedOrderAsync("ord-pickup-short", "c-pickup-short", "0002", "SKU-PICKUP-SHORT", quantity: 2, stock: 5);

        var (page, errors) = await console.OpenAsync("pickup", width: 800, height: 1100);
        await page.GetByLabel("Store").SelectOptionAsync("0002");
        var order = page.Locator("article[data-order='ord-pickup-short']");
        await Assertions.Expect(order).ToHaveAttributeAsync("data-queue", "AwaitingPick");
        await order.GetByRole(AriaRole.Button, new() { Name = "Items missing…" }).ClickAsync();
        await order.GetByLabel("SKU-PICKUP-SHORT found").FillAsync("1");
        await ConsoleHost.ScreenshotAsync(page, "pickup-items-missing");
        await order.GetByRole(AriaRole.Button, new() { Name = "Confirm pick" }).ClickAsync();

        await Assertions.Expect(order).ToHaveAttributeAsync("data-queue", "Ready", new() { Timeout = 30_000 });
        await Assertions.Expect(order.Locator(".lines")).ToContainTextAsync("1 × SKU-PICKUP-SHORT · 1 missing, refunded");
        var api = (await console.GetJsonAsync("/api/orders/ord-pickup-short")).GetProperty("order");
        Assert.Equal(9.99m, api.GetProperty("refunded").GetDecimal());
        var line = Assert.Single(api.GetProperty("picking").EnumerateArray());
        Assert.Equal((2, 1, 1), (line.GetProperty("ordered").GetInt32(), line.GetProperty("picked").GetInt32(), line.GetProperty("short").GetInt32()));

        // The customer says "I'm here": the card says so, with the wait.
        Assert.True((await console.Host.Client.PostAsync("/api/orders/ord-pickup-short/arrived", null)).IsSuccessStatusCode);
        await Assertions.Expect(order.Locator(".here")).ToContainTextAsync("Customer is here", new() { Timeout = 30_000 });
        await ConsoleHost.ScreenshotAsync(page, "pickup-customer-here");
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

        await ConsoleHost.GoToAsync(page, "pickup/9999");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not found");
    }
}
