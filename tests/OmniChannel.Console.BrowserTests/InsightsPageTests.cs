using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace OmniChannel.Console.BrowserTests;

[Collection(ConsoleCollection.Name)]
public sealed class InsightsPageTests(ConsoleHost console)
{
    [Fact]
    public async Task TheChartsRender_WithTheDataTheApiSummarises()
    {
        var head = (await console.GetJsonAsync("/api/local/eventlog")).GetProperty("head").GetInt64();
        var sent = new (string Channel, string Type, JsonObject Data, string Source)[]
        {
            ("web", "omni.product.viewed", new JsonObject { ["sku"] = "SKU-INSIGHT" }, "/web"),
            ("web", "omni.product.viewed", new JsonObject { ["sku"] = "SKU-INSIGHT-2" }, "/web"),
            ("app", "omni.consent.changed", new JsonObject { ["marketing"] = "granted" }, "/app/ios"),
            ("pos", "omni.pos.sale", new JsonObject { ["storeid"] = "0003", ["lines"] = new JsonArray(new JsonObject { ["sku"] = "SKU-INSIGHT", ["quantity"] = 1, ["price"] = "19.99" }) }, "/pos/store/0003"),
        };
        for (var index = 0; index < sent.Length; index++)
        {
            var (channel, type, data, source) = sent[index];
            await console.PostEventAsync(ConsoleHost.Event($"insight-{index}", type, channel, "c-insight", data, source));
        }

        await console.Host.WaitUntilIngestedAsync(head + sent.Length);
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var summary = await console.WaitForAsync($"/api/insights/summary?from={today}&to={today}",
            body => body.GetProperty("events").GetProperty("perChannel").GetArrayLength() >= 3);

        var (page, errors) = await console.OpenAsync("insights", width: 1280, height: 900);
        var channels = page.Locator("figure[data-chart='channels'] li");
        await Assertions.Expect(channels).ToHaveCountAsync(summary.GetProperty("events").GetProperty("perChannel").GetArrayLength());
        foreach (var channel in summary.GetProperty("events").GetProperty("perChannel").EnumerateArray())
        {
            var row = channels.Filter(new() { HasText = channel.GetProperty("channel").GetString()! });
            await Assertions.Expect(row.Locator(".bar-value")).ToHaveTextAsync(channel.GetProperty("events").GetInt64().ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        }

        // Today's column of the events-per-day chart is drawn, with the total in its tooltip.
        var todayColumn = page.Locator("figure[data-chart='events'] svg rect");
        await Assertions.Expect(todayColumn).ToHaveCountAsync(1);
        var total = summary.GetProperty("events").GetProperty("events").GetInt64();
        await Assertions.Expect(todayColumn.Locator("title")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex($"Events: {total}$"));
        await Assertions.Expect(page.Locator(".kpi").Filter(new() { HasText = "events ingested" }).Locator(".kpi-value")).ToHaveTextAsync(total.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await ConsoleHost.ScreenshotAsync(page, "insights");
        Assert.Empty(errors);
    }
}
