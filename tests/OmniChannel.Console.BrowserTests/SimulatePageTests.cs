using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace OmniChannel.Console.BrowserTests;

[Collection(ConsoleCollection.Name)]
public sealed class SimulatePageTests(ConsoleHost console)
{
    [Fact]
    public async Task Simulate_ListsWhichSignalsWouldFire_AndWhyTheOthersWouldNot()
    {
        // Saved disabled, so the live reaction issues nothing; a simulation treats the rule as enabled.
        var rule = RulesPageTests.Rule("Simulated boots", sku: "SKU-SIM-BOOT", radius: 300);
        rule["enabled"] = false;
        await console.PutRuleAsync("simulated-boots", rule);

        var head = (await console.GetJsonAsync("/api/local/eventlog")).GetProperty("head").GetInt64();
        await console.PostEventAsync(ConsoleHost.Event("sim-stock", "omni.inventory.adjusted", "pos", null,
            new JsonObject { ["storeid"] = "0001", ["sku"] = "SKU-SIM-BOOT", ["delta"] = 5, ["reason"] = "receiving" }, "/pos/store/0001"));
        await console.PostEventAsync(ConsoleHost.Event("sim-consent-yes", "omni.consent.changed", "app", "c-sim-yes", new JsonObject { ["marketing"] = "granted" }));
        foreach (var customer in new[] { "c-sim-yes", "c-sim-no" })
        {
            await console.PostEventAsync(ConsoleHost.Event($"sim-view-{customer}", "omni.product.viewed", "web", customer, new JsonObject { ["sku"] = "SKU-SIM-BOOT" }, "/web"));
        }

        // c-sim-yes signs in on a phone, which later enters the geofence with its device id only.
        var signIn = ConsoleHost.Event("sim-sign-in", "omni.customer.identified", "app", "c-sim-yes", new JsonObject { ["customerid"] = "c-sim-yes", ["deviceid"] = "sim-phone" });
        signIn["deviceid"] = "sim-phone";
        await console.PostEventAsync(signIn);

        await console.Host.WaitUntilIngestedAsync(head + 5);
        foreach (var customer in new[] { "c-sim-yes", "c-sim-no" })
        {
            await console.PostEventAsync(ConsoleHost.Event($"sim-geo-{customer}", "omni.geofence.entered", "app", customer,
                new JsonObject { ["storeid"] = "0001", ["lat"] = 40.7130, ["lon"] = -74.0055 }));
        }

        var fromPhone = ConsoleHost.Event("sim-geo-phone", "omni.geofence.entered", "app", null, new JsonObject { ["storeid"] = "0001", ["lat"] = 40.7130, ["lon"] = -74.0055 });
        fromPhone["deviceid"] = "sim-phone";
        await console.PostEventAsync(fromPhone);

        await console.Host.WaitUntilIngestedAsync(head + 8);
        await console.WaitForAsync("/api/customers/c-sim-no", customer => customer.GetProperty("recentActivity").GetArrayLength() >= 2);

        var (page, errors) = await console.OpenAsync("rules/simulated-boots/simulate");
        var results = page.Locator("table.simulation tbody tr");
        var fired = results.Filter(new() { HasText = "c-sim-yes", HasNotText = "sim-phone" });
        var firedFromPhone = results.Filter(new() { HasText = "device:sim-phone → customer c-sim-yes" });
        var refused = results.Filter(new() { HasText = "c-sim-no" });
        await Assertions.Expect(fired).ToContainTextAsync("Would fire");
        await Assertions.Expect(fired).ToContainTextAsync("store 0001");
        await Assertions.Expect(firedFromPhone).ToContainTextAsync("Would fire");
        await Assertions.Expect(refused).ToContainTextAsync("Would not fire");
        await Assertions.Expect(refused).ToContainTextAsync("has not granted marketing consent");
        await ConsoleHost.ScreenshotAsync(page, "simulate");

        // A window with nothing in it says so rather than showing an empty table.
        await page.GetByLabel("From").FillAsync("2020-01-01T00:00");
        await page.GetByLabel("To", new() { Exact = true }).FillAsync("2020-01-02T00:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Simulate" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "0 signal(s)" })).ToBeVisibleAsync();
        await Assertions.Expect(results).ToHaveCountAsync(0);

        // A window that ends before it starts gets the server's message beside the field.
        await page.GetByLabel("From").FillAsync("2020-01-03T00:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Simulate" }).ClickAsync();
        await Assertions.Expect(page.Locator("#error-from")).ToContainTextAsync("before 'to'");
        Assert.DoesNotContain(errors, error => !error.StartsWith("400 POST", StringComparison.Ordinal));
    }
}
