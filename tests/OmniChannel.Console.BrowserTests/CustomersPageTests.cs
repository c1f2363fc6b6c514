using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace OmniChannel.Console.BrowserTests;

/// <summary>The Customers page: an agent finds a person by any identifier and reads their 360 and timeline.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class CustomersPageTests(ConsoleHost console)
{
    [Fact]
    public async Task FindByDeviceId_ShowsTheSignedInCustomer_TheirIdentitiesConsentOrderAndTimeline()
    {
        // Browsing on the phone before sign-in, then signing in on it, consenting, and ordering for pickup.
        await console.PostEventAsync(DeviceEvent("c360-view", "d-c360-phone", "omni.product.viewed", new JsonObject { ["sku"] = "SKU-C360" }));
        await console.PostEventAsync(ConsoleHost.Event("c360-signin", "omni.customer.identified", "app", "c-360", new JsonObject { ["deviceid"] = "d-c360-phone" }));
        await console.PostEventAsync(ConsoleHost.Event("c360-consent", "omni.consent.changed", "app", "c-360", new JsonObject { ["marketing"] = "granted" }));
        await new BopisDriver(console.Host).PlaceReservedOrderAsync("ord-c360", "c-360", "0002", "SKU-C360", quantity: 1, stock: 2);
        await console.WaitForAsync("/api/customers/device:d-c360-phone", customer =>
            customer.GetProperty("openOrders").GetArrayLength() == 1 && customer.GetProperty("marketingConsent").GetString() == "granted");

        var (page, errors) = await console.OpenAsync("customers");
        await page.GetByLabel("Identifier type").SelectOptionAsync(new SelectOptionValue { Label = "Device id" });
        await page.GetByLabel("Identifier", new() { Exact = true }).FillAsync("d-c360-phone");
        await page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Customer c-360" })).ToBeVisibleAsync();
        Assert.EndsWith("customers?identifier=device%3Ad-c360-phone", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("[data-identity='device:d-c360-phone']")).ToHaveTextAsync("Device id: d-c360-phone");
        await Assertions.Expect(page.Locator("[data-identity='customer:c-360']")).ToHaveTextAsync("Customer id: c-360");
        await Assertions.Expect(page.Locator("[data-consent='marketing']")).ToContainTextAsync("granted");
        await Assertions.Expect(page.Locator("[data-stage]")).ToContainTextAsync("awaiting pickup");
        await Assertions.Expect(page.Locator("tr[data-order='ord-c360'] [data-status]")).ToHaveTextAsync("reserved");

        // The timeline joins the device's view from before sign-in with the customer's own events.
        await Assertions.Expect(page.Locator("tr[data-event='c360-view']")).ToContainTextAsync("omni.product.viewed");
        await Assertions.Expect(page.Locator("tr[data-event='c360-signin']")).ToContainTextAsync("omni.customer.identified");
        await ConsoleHost.ScreenshotAsync(page, "customers");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task ACollectedOrder_IsListedAmongTheEarlierOrdersWithItsFinalStatus()
    {
        var driver = new BopisDriver(console.Host);
        await driver.PlaceReservedOrderAsync("ord-c360-done", "c-360-done", "0002", "SKU-C360-DONE", quantity: 1, stock: 2);
        Assert.Equal(HttpStatusCode.Accepted, await driver.PickAsync("ord-c360-done"));
        await driver.WaitForStatusAsync("ord-c360-done", "ready");
        using (var collected = await console.Host.Client.PostAsync("/api/stores/0002/orders/ord-c360-done/collected", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, collected.StatusCode);
        }

        await driver.WaitForStatusAsync("ord-c360-done", "collected");
        await console.WaitForAsync("/api/customers/c-360-done", customer => customer.GetProperty("openOrders").GetArrayLength() == 0);

        var (page, errors) = await console.OpenAsync("customers/c-360-done");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Customer c-360-done" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("No open orders.")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("section[aria-labelledby='earlier-orders-heading'] tr[data-order='ord-c360-done'] [data-status]")).ToHaveTextAsync("collected");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task DeepLinkToACustomer_ShowsTheNewestEvents_AndOlderPagesThemIn()
    {
        var start = DateTimeOffset.UtcNow.AddMinutes(-30);
        var views = new JsonArray(Enumerable.Range(0, 25).Select(index =>
        {
            var view = ConsoleHost.Event($"c360-page-{index:D2}", "omni.product.viewed", "web", "c-360-pages", new JsonObject { ["sku"] = $"SKU-PAGE-{index:D2}" }, source: "/web");
            view["time"] = start.AddSeconds(index).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            return (JsonNode)view;
        }).ToArray());
        using (var posted = await console.Host.Client.PostAsync("/api/events", new StringContent(views.ToJsonString(), Encoding.UTF8, "application/cloudevents-batch+json")))
        {
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        }

        await console.WaitForAsync("/api/customers/c-360-pages/events?limit=50", timeline => timeline.GetProperty("events").GetArrayLength() == 25);

        var (page, errors) = await console.OpenAsync("customers/c-360-pages");
        var rows = page.Locator("tr[data-event]");
        await Assertions.Expect(rows).ToHaveCountAsync(20);
        await Assertions.Expect(rows.First).ToHaveAttributeAsync("data-event", "c360-page-24");
        await Assertions.Expect(page.Locator("tr[data-event='c360-page-00']")).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "Older" }).ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(25);
        await Assertions.Expect(rows.Last).ToHaveAttributeAsync("data-event", "c360-page-00");
        await Assertions.Expect(page.GetByText("No older events.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Older" })).ToHaveCountAsync(0);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task AnUnknownIdentifier_SaysNoCustomerHasIt()
    {
        var (page, _) = await console.OpenAsync("customers?identifier=" + Uri.EscapeDataString("loyalty:L-NOBODY-360"));

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("No customer has that identifier (loyalty:L-NOBODY-360)");
        await Assertions.Expect(page.GetByLabel("Identifier type")).ToHaveValueAsync("Loyalty");
        await Assertions.Expect(page.GetByLabel("Identifier", new() { Exact = true })).ToHaveValueAsync("L-NOBODY-360");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);

        // The nav link starts a new search: the message goes.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Customers" }).ClickAsync();
        await Assertions.Expect(page.Locator(".not-found")).ToHaveCountAsync(0);
    }

    private static JsonObject DeviceEvent(string id, string deviceId, string type, JsonObject data)
    {
        var cloudEvent = ConsoleHost.Event(id, type, "app", customerId: null, data);
        cloudEvent["deviceid"] = deviceId;
        return cloudEvent;
    }
}
