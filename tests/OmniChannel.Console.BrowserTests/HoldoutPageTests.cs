using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace OmniChannel.Console.BrowserTests;

/// <summary>The holdout settings in the rule form (with the server's words for a bad value) and the uplift per rule on the rules and insights pages.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class HoldoutPageTests(ConsoleHost console)
{
    private const string RuleId = "uplift-console";

    /// <summary>The customers the stable hash puts in the rule's 20 % (HoldoutGroupsTests pins the hash).</summary>
    private static readonly string[] HeldOut = ["uc-02", "uc-04", "uc-08"];

    [Fact]
    public async Task TheForm_SavesHoldoutAndAttributionDays_AndShowsTheServersMessageForABadHoldout()
    {
        // The 400 answer is logged by the browser as a failed resource, so this test does not ask for a clean console.
        var (page, _) = await console.OpenAsync("rules/new");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Measured walk-ins");
        await page.GetByLabel("Percent off").FillAsync("10");
        var holdout = page.GetByLabel("Hold out (% of eligible customers who get nothing, to measure the rule)");
        await holdout.FillAsync("60");
        await page.GetByLabel("Count purchases for (days after the signal)").FillAsync("14");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create rule" }).ClickAsync();

        await Assertions.Expect(page.Locator("#error-holdoutPercent")).ToContainTextAsync("'holdoutPercent' is the share of eligible customers who get nothing");
        await Assertions.Expect(holdout).ToHaveAttributeAsync("aria-invalid", "true");
        await ConsoleHost.ScreenshotAsync(page, "rule-holdout-error");

        await holdout.FillAsync("20");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create rule" }).ClickAsync();
        var row = page.Locator("tr[data-rule='measured-walk-ins']");
        await Assertions.Expect(row.Locator("td[data-holdout]")).ToHaveTextAsync("20 %");
        var stored = await console.GetJsonAsync("/api/remarketing/rules/measured-walk-ins");
        Assert.Equal((20, 14), (stored.GetProperty("holdoutPercent").GetInt32(), stored.GetProperty("attributionDays").GetInt32()));
    }

    [Fact]
    public async Task ARuleWithAHoldout_ShowsBothGroupsAndItsUplift_OnTheRulesAndInsightsPages()
    {
        await console.PutRuleAsync(RuleId, new JsonObject
        {
            ["name"] = "Uplift in the console",
            ["priority"] = 50,
            ["signal"] = "geofence.entered",
            ["conditions"] = new JsonObject { ["skus"] = new JsonArray("SKU-UPLIFT") },
            ["radiusMeters"] = 300,
            ["offer"] = new JsonObject { ["kind"] = "percent", ["value"] = 10, ["minSpend"] = 0, ["validHours"] = 48 },
            ["holdoutPercent"] = 20,
        });
        await console.PostEventAsync(ConsoleHost.Event("uplift-stock", "omni.inventory.adjusted", "pos", null,
            new JsonObject { ["storeid"] = "0001", ["sku"] = "SKU-UPLIFT", ["delta"] = 50, ["reason"] = "receiving" }, "/pos/store/0001"));
        var customers = Enumerable.Range(0, 10).Select(index => $"uc-{index:D2}").ToList();
        foreach (var customer in customers)
        {
            await console.PostEventAsync(ConsoleHost.Event($"consent-{customer}", "omni.consent.changed", "app", customer, new JsonObject { ["marketing"] = "granted" }));
            await console.PostEventAsync(ConsoleHost.Event($"view-{customer}", "omni.product.viewed", "web", customer, new JsonObject { ["sku"] = "SKU-UPLIFT" }, "/web"));
        }

        await console.WaitForAsync($"/api/customers/{customers[^1]}", body => body.GetProperty("recentActivity").GetArrayLength() >= 2);
        foreach (var customer in customers)
        {
            await console.PostEventAsync(ConsoleHost.Event($"walk-{customer}", "omni.geofence.entered", "app", customer, new JsonObject { ["storeid"] = "0001", ["lat"] = 40.7130, ["lon"] = -74.0055 }));
        }

        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var summaryPath = $"/api/insights/summary?from={today}&to={today}";
        await console.WaitForAsync(summaryPath, body => Groups(body) == (7, 3));

        // Everyone buys after the walk; those who got the coupon spend more.
        for (var index = 0; index < customers.Count; index++)
        {
            var spent = HeldOut.Contains(customers[index]) ? 20 + index : 50 + index;
            await console.PostEventAsync(ConsoleHost.Event($"buy-{customers[index]}", "omni.pos.sale", "pos", customers[index], new JsonObject
            {
                ["storeid"] = "0001",
                ["lines"] = new JsonArray(new JsonObject { ["sku"] = "SKU-UPLIFT", ["quantity"] = 1, ["price"] = spent.ToString(CultureInfo.InvariantCulture) }),
            }, "/pos/store/0001"));
        }

        var summary = await console.WaitForAsync(summaryPath, body => Rule(body) is { } rule && rule.GetProperty("uplift").ValueKind == System.Text.Json.JsonValueKind.Number
            && rule.GetProperty("treated").GetProperty("purchases").GetInt64() + rule.GetProperty("heldOut").GetProperty("purchases").GetInt64() == 10);
        var uplift = Rule(summary)!.Value;
        var expected = string.Create(CultureInfo.InvariantCulture,
            $"{uplift.GetProperty("uplift").GetDouble():+0.00} per customer (95 %: {uplift.GetProperty("upliftLow").GetDouble():0.00} to {uplift.GetProperty("upliftHigh").GetDouble():0.00})");

        var (rules, errors) = await console.OpenAsync("rules", width: 1280, height: 900);
        var row = rules.Locator($"tr[data-rule='{RuleId}']");
        await Assertions.Expect(row.Locator("td[data-holdout]")).ToHaveTextAsync("20 %");
        await Assertions.Expect(row.Locator("td[data-uplift]")).ToHaveTextAsync(expected);

        var (insights, insightErrors) = await console.OpenAsync("insights", width: 1280, height: 900);
        var line = insights.Locator($"table.uplift-table tr[data-rule='{RuleId}']");
        await Assertions.Expect(line.Locator("td[data-treated]")).ToHaveTextAsync("7");
        await Assertions.Expect(line.Locator("td[data-held-out]")).ToHaveTextAsync("3");
        await Assertions.Expect(line.Locator("td[data-uplift]")).ToHaveTextAsync(expected);
        await ConsoleHost.ScreenshotAsync(insights, "insights-uplift");
        Assert.Empty(errors);
        Assert.Empty(insightErrors);
    }

    private static System.Text.Json.JsonElement? Rule(System.Text.Json.JsonElement summary) =>
        summary.GetProperty("uplift").EnumerateArray().Where(rule => rule.GetProperty("ruleId").GetString() == RuleId).Select(rule => (System.Text.Json.JsonElement?)rule).FirstOrDefault();

    private static (long Treated, long HeldOut) Groups(System.Text.Json.JsonElement summary) =>
        Rule(summary) is { } rule ? (rule.GetProperty("treated").GetProperty("customers").GetInt64(), rule.GetProperty("heldOut").GetProperty("customers").GetInt64()) : (0, 0);
}
