using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OmniChannel.Local.EndToEndTests;

/// <summary>
/// The newcomer's first run: the local host, then <c>simulate</c> as the README says, then what the console shows. After
/// the day every workflow has results the insights summarise: pickup orders ready and collected, coupons issued and
/// redeemed, a price change delivered; the busiest store's queue has orders in more than one state; the customer the
/// summary names is found by their phone's device id with an order and a coupon.
/// </summary>
public sealed partial class SimulatedDayTests : IAsyncLifetime
{
    private LocalHostProcess _host = null!;

    // The README's host runs pickup on minutes (appsettings.Demo.json); this one a little faster still, so the day's
    // late picks (after the pick deadline) happen within the test.
    public async Task InitializeAsync() => _host = await LocalHostProcess.StartAsync(extraArguments: new Dictionary<string, string>
    {
        ["OmniChannel:Bopis:PickSla"] = "00:00:30",
        ["OmniChannel:Bopis:UnpickedCancelAfter"] = "00:10:00",
        ["OmniChannel:Bopis:PickupWindow"] = "00:15:00",
        ["OmniChannel:Bopis:ReminderBeforeExpiry"] = "00:05:00",
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task SimulateWithItsDefaults_EveryWorkflowHasResults_AndTheConsolesPagesHaveTheirData()
    {
        await WithoutQuietHoursAsync();

        var (exit, output) = await CommandLineTests.RunAsync(TimeSpan.FromMinutes(8), "simulate", "--url", _host.Client.BaseAddress!.AbsoluteUri, "--customers", "500");

        Assert.True(exit == 0, output);

        // The busiest store's third order is picked after its pick deadline (the store was alerted first).
        Assert.True(int.Parse(PickedLate().Match(output).Groups["late"].Value, System.Globalization.CultureInfo.InvariantCulture) >= 1, output);
        var insights = await _host.Client.GetFromJsonAsync<JsonElement>($"/api/insights/summary?from={DateTime.UtcNow.AddDays(-2):yyyy-MM-dd}&to={DateTime.UtcNow:yyyy-MM-dd}");
        var pickup = insights.GetProperty("pickup");
        Assert.True(pickup.GetProperty("ordersReady").GetInt64() > 0, output);
        Assert.True(pickup.GetProperty("collected").GetInt64() > 0, output);
        var coupons = insights.GetProperty("coupons");
        Assert.True(coupons.GetProperty("issued").GetInt64() > 0, output);
        Assert.True(coupons.GetProperty("redeemed").GetInt64() > 0, output);
        var prices = insights.GetProperty("prices");
        Assert.Equal(1, prices.GetProperty("changes").GetInt64());
        Assert.True(prices.GetProperty("deliveriesSucceeded").GetInt64() > 0, output);
        Assert.Equal(0, prices.GetProperty("deliveriesFailed").GetInt64());

        // The busiest store's queue, as the summary points to it: its orders went every way, so more than one state shows.
        var store = BusiestStore().Match(output).Groups["store"].Value;
        var queue = await _host.Client.GetFromJsonAsync<JsonElement>($"/api/stores/{store}/orders");
        var states = queue.GetProperty("orders").EnumerateArray().Select(order => order.GetProperty("queue").GetString()).Distinct().ToList();
        Assert.True(states.Count >= 2, $"store {store}: {string.Join(", ", states)}\n{output}");

        // The customer the summary names, found by the device id as the Customers page looks them up.
        var device = Uri.UnescapeDataString(SampleDevice().Match(output).Groups["device"].Value);
        var customer = await _host.Client.GetFromJsonAsync<JsonElement>("/api/customers/" + Uri.EscapeDataString(device));
        Assert.True(customer.GetProperty("activeCoupons").GetArrayLength() + customer.GetProperty("redeemedCoupons").GetArrayLength() > 0, customer.ToString());
        Assert.Contains(customer.GetProperty("recentActivity").EnumerateArray(), entry => entry.GetProperty("type").GetString() == "omni.order.placed");
    }

    /// <summary>The example rule's quiet hours (21:00–08:00 on each store's clock) cover every store from 07:00 to 13:00 UTC; the test runs at any hour.</summary>
    private async Task WithoutQuietHoursAsync()
    {
        using var read = await _host.Client.GetAsync("/api/remarketing/rules/walk-in-after-browsing");
        read.EnsureSuccessStatusCode();
        var rule = (await read.Content.ReadFromJsonAsync<JsonObject>())!;
        rule.Remove("quietHours");
        using var put = new HttpRequestMessage(HttpMethod.Put, "/api/remarketing/rules/walk-in-after-browsing")
        {
            Content = new StringContent(rule.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        put.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(read.Headers.ETag!.ToString()));
        using var saved = await _host.Client.SendAsync(put);
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
    }

    [GeneratedRegex(@"(?<late>\d+) after the pick deadline")]
    private static partial Regex PickedLate();

    [GeneratedRegex(@"/pickup/(?<store>\d{4})")]
    private static partial Regex BusiestStore();

    [GeneratedRegex(@"identifier=(?<device>device%3A[^\s]+)")]
    private static partial Regex SampleDevice();
}
