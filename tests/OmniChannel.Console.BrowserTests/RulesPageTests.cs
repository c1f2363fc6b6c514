using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace OmniChannel.Console.BrowserTests;

[Collection(ConsoleCollection.Name)]
public sealed class RulesPageTests(ConsoleHost console)
{
    [Fact]
    public async Task ARuleCreatedThroughTheForm_IsListedAndStoredAsTyped()
    {
        var (page, errors) = await console.OpenAsync("rules/new");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Sneakers near the store");
        await page.GetByLabel("The customer…").SelectOptionAsync(new SelectOptionValue { Label = "Walks near a store" });
        await page.GetByLabel("Products (SKUs)").FillAsync("SKU-SNEAK-1, SKU-SNEAK-2");
        await page.GetByLabel("Distance to the store, in metres").FillAsync("400");
        await page.GetByLabel("Percent off").FillAsync("15");
        await page.GetByLabel("Quiet hours: no coupons at night, on each store's own clock").CheckAsync();
        await page.GetByLabel("From", new() { Exact = true }).FillAsync("22:30");
        await page.GetByLabel("to", new() { Exact = true }).FillAsync("07:15");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create rule" }).ClickAsync();

        var row = page.Locator("tr[data-rule='sneakers-near-the-store']");
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Assertions.Expect(row).ToContainTextAsync("15% off");
        await ConsoleHost.ScreenshotAsync(page, "rules");

        var stored = await console.GetJsonAsync("/api/remarketing/rules/sneakers-near-the-store");
        Assert.Equal("Sneakers near the store", stored.GetProperty("name").GetString());
        Assert.Equal(400, stored.GetProperty("radiusMeters").GetInt32());
        Assert.Equal(["SKU-SNEAK-1", "SKU-SNEAK-2"], stored.GetProperty("conditions").GetProperty("skus").EnumerateArray().Select(sku => sku.GetString()!));
        Assert.Equal("22:30", stored.GetProperty("quietHours").GetProperty("from").GetString()![..5]);
        Assert.Equal("07:15", stored.GetProperty("quietHours").GetProperty("to").GetString()![..5]);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task ABadValue_ShowsTheServersOwnMessageBesideItsField()
    {
        var (page, _) = await console.OpenAsync("rules/new");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Far too far");
        await page.GetByLabel("Distance to the store, in metres").FillAsync("250000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create rule" }).ClickAsync();

        var message = page.Locator("#error-radiusMeters");
        await Assertions.Expect(message).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Distance to the store, in metres")).ToHaveAttributeAsync("aria-invalid", "true");
        await ConsoleHost.ScreenshotAsync(page, "rule-field-error");

        // The words are the server's: the same body sent straight to the API names the same field with the same message.
        using var response = await console.Host.Client.PutAsync("/api/remarketing/rules/far-too-far", new StringContent(
            """{"name":"Far too far","signal":"geofence.entered","radiusMeters":250000,"offer":{"kind":"percent","value":10,"minSpend":0,"validHours":48}}""",
            Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var serverMessage = problem.GetProperty("errors").EnumerateArray().Single(error => error.GetProperty("field").GetString() == "radiusMeters").GetProperty("message").GetString();
        await Assertions.Expect(message).ToHaveTextAsync(serverMessage!);
        Assert.Equal(HttpStatusCode.NotFound, (await console.Host.Client.GetAsync("/api/remarketing/rules/far-too-far")).StatusCode);
    }

    [Fact]
    public async Task AStaleEdit_SaysSomeoneElseChangedTheRule_AndReloadsTheirVersion()
    {
        var etag = await console.PutRuleAsync("stale-edit", Rule("Original name"));
        var (page, _) = await console.OpenAsync("rules/stale-edit");
        var name = page.GetByLabel("Name", new() { Exact = true });
        await Assertions.Expect(name).ToHaveValueAsync("Original name");

        // A colleague saves the rule while this page has it open.
        await console.PutRuleAsync("stale-edit", Rule("Their name"), etag);

        await name.FillAsync("My name");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        var conflict = page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Someone else changed this rule" });
        await Assertions.Expect(conflict).ToBeVisibleAsync();
        await ConsoleHost.ScreenshotAsync(page, "rule-conflict");
        Assert.Equal("Their name", (await console.GetJsonAsync("/api/remarketing/rules/stale-edit")).GetProperty("name").GetString());

        await page.GetByRole(AriaRole.Button, new() { Name = "Reload the rule" }).ClickAsync();
        await Assertions.Expect(name).ToHaveValueAsync("Their name");
        await name.FillAsync("Agreed name");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Saved.")).ToBeVisibleAsync();
        Assert.Equal("Agreed name", (await console.GetJsonAsync("/api/remarketing/rules/stale-edit")).GetProperty("name").GetString());
    }

    [Fact]
    public async Task EditingARule_KeepsItsSendTimeOptions_AndSetsADwellTime()
    {
        var rule = Rule("Stay a while");
        rule["quietHours"] = new JsonObject { ["from"] = "21:00", ["to"] = "08:00" };
        rule["quietHoursAtSend"] = "wait";
        await console.PutRuleAsync("stay-a-while", rule);
        var (page, errors) = await console.OpenAsync("rules/stay-a-while");
        await Assertions.Expect(page.GetByLabel("A coupon whose message falls in the quiet hours")).ToHaveValueAsync("Wait");

        await page.GetByLabel("Only if they stay", new() { Exact = false }).FillAsync("10");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Saved.")).ToBeVisibleAsync();

        var stored = await console.GetJsonAsync("/api/remarketing/rules/stay-a-while");
        Assert.Equal("wait", stored.GetProperty("quietHoursAtSend").GetString());
        Assert.Equal(10, stored.GetProperty("dwellMinutes").GetInt32());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task DisablingAndDeletingFromTheList_AskBeforeDeleting()
    {
        await console.PutRuleAsync("to-delete", Rule("Short-lived rule"));
        var (page, _) = await console.OpenAsync("rules");
        var row = page.Locator("tr[data-rule='to-delete']");
        await row.GetByRole(AriaRole.Button, new() { Name = "Short-lived rule enabled" }).ClickAsync();
        await Assertions.Expect(row.GetByRole(AriaRole.Button, new() { Name = "Short-lived rule enabled" })).ToHaveTextAsync("Off");
        Assert.False((await console.GetJsonAsync("/api/remarketing/rules/to-delete")).GetProperty("enabled").GetBoolean());

        await row.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Keep it" }).ClickAsync();
        Assert.Equal(HttpStatusCode.OK, (await console.Host.Client.GetAsync("/api/remarketing/rules/to-delete")).StatusCode);

        await row.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete rule" }).ClickAsync();
        await Assertions.Expect(row).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.NotFound, (await console.Host.Client.GetAsync("/api/remarketing/rules/to-delete")).StatusCode);
    }

    internal static JsonObject Rule(string name, string sku = "SKU-ANY", int radius = 500) => new()
    {
        ["name"] = name,
        ["priority"] = 5,
        ["signal"] = "geofence.entered",
        ["conditions"] = new JsonObject { ["skus"] = new JsonArray(sku) },
        ["radiusMeters"] = radius,
        ["offer"] = new JsonObject { ["kind"] = "percent", ["value"] = 10, ["minSpend"] = 0, ["validHours"] = 24 },
        ["frequencyCap"] = new JsonObject { ["coupons"] = 1, ["perDays"] = 7 },
    };
}
