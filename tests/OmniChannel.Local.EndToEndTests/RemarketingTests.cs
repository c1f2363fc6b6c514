using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OmniChannel.Local.EndToEndTests;

/// <summary>
/// Store-proximity remarketing on the local host, as marketing and a customer meet it: a rule is created, a customer
/// who browsed walks past a store that has the product, a coupon is issued, and a POS sale redeems it — once.
/// </summary>
public sealed class RemarketingTests : IAsyncLifetime
{
    private LocalHostProcess _host = null!;

    public async Task InitializeAsync() => _host = await LocalHostProcess.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task BrowsedThenWalkedPastAStore_GetsACouponWhichOneSaleRedeems()
    {
        await CreateBootsRuleWithStockAsync();
        await ConsentedAndBrowsedBootsAsync("c-42");

        await PostAsync(Geofence("geo-c42", "c-42"));
        var issued = await WaitForAsync("/api/customers/c-42", customer => customer.GetProperty("activeCoupons").GetArrayLength() == 1);
        var coupon = issued.GetProperty("activeCoupons")[0];
        var code = coupon.GetProperty("code").GetString()!;
        Assert.Matches("^OC-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{2}$", code);
        Assert.Equal(("nearby-boots", "0001", "SKU-BOOT"), (coupon.GetProperty("ruleId").GetString(), coupon.GetProperty("storeId").GetString(), coupon.GetProperty("sku").GetString()));
        // The Customer 360 shows the coupon as soon as it is issued; the push follows in the next step.
        var messages = await WaitForAsync($"/api/local/orders/{code}/messages", sent => sent.GetProperty("notifications").GetArrayLength() == 1);
        Assert.Contains(code, messages.GetProperty("notifications")[0].GetProperty("text").GetString(), StringComparison.Ordinal);

        // Two tills present the same code: one sale redeems it, the other does not.
        await PostAsync(Sale("sale-1", code, "89.00"));
        await PostAsync(Sale("sale-2", code, "120.00"));
        var redeemed = await WaitForAsync("/api/customers/c-42", customer => customer.GetProperty("redeemedCoupons").GetArrayLength() == 1);
        Assert.Equal(0, redeemed.GetProperty("activeCoupons").GetArrayLength());
        Assert.Equal(89m, redeemed.GetProperty("redeemedCoupons")[0].GetProperty("saleTotal").GetDecimal());

        var simulation = await (await _host.Client.PostAsync("/api/remarketing/rules/nearby-boots/simulate", new StringContent("{}", Encoding.UTF8, "application/json"))).Content.ReadFromJsonAsync<JsonElement>();
        var verdict = simulation.GetProperty("results").EnumerateArray().Single(result => result.GetProperty("eventId").GetString() == "geo-c42");
        Assert.Equal("c-42", verdict.GetProperty("customerId").GetString());
    }

    [Fact]
    public async Task SignedInOnAnAppThenItsPhoneEnteredAGeofence_TheCustomerGetsACoupon()
    {
        await CreateBootsRuleWithStockAsync();
        await PostAsync(Event("sign-in-c43", "omni.customer.identified", "app", "c-43", new JsonObject { ["customerid"] = "c-43", ["deviceid"] = "phone-43" }, deviceId: "phone-43"));
        await ConsentedAndBrowsedBootsAsync("c-43");
        await WaitForAsync("/api/customers/device:phone-43", customer => customer.GetProperty("customerId").GetString() == "c-43");

        // Location SDKs send the device id only.
        await PostAsync(Geofence("geo-phone-43", customerId: null, deviceId: "phone-43"));

        var issued = await WaitForAsync("/api/customers/c-43", customer => customer.GetProperty("activeCoupons").GetArrayLength() == 1);
        Assert.Equal(("nearby-boots", "0001"), (issued.GetProperty("activeCoupons")[0].GetProperty("ruleId").GetString(), issued.GetProperty("activeCoupons")[0].GetProperty("storeId").GetString()));
    }

    [Fact]
    public async Task ARuleWithADwellTime_TheCustomerWhoStayedGetsACoupon_TheOneWhosePhoneSaidTheyLeftDoesNot()
    {
        await CreateBootsRuleWithStockAsync(dwellMinutes: 1);
        var now = DateTimeOffset.UtcNow;
        foreach (var customer in new[] { "c-46", "c-47" })
        {
            // Signed in, consented and browsed a few minutes before the walk (the rule wants a view before the signal).
            await PostAsync(Event("sign-in-" + customer, "omni.customer.identified", "app", customer, new JsonObject { ["customerid"] = customer, ["deviceid"] = "phone-" + customer }, deviceId: "phone-" + customer, at: now.AddMinutes(-5)));
            await ConsentedAndBrowsedBootsAsync(customer, now.AddMinutes(-4));
        }

        // c-46 walked in 50 s ago and out 20 s later (the phone says so, with its device id only); c-47 walked in 35 s
        // ago and stays. Each instance waits for the rest of its minute, then decides again.
        await PostAsync(Event("exit-phone-c-46", "omni.geofence.exited", "app", null, Store0001(), deviceId: "phone-c-46", at: now.AddSeconds(-30)));
        await WaitForAsync("/api/customers/c-46", customer => customer.GetProperty("recentActivity").EnumerateArray().Any(entry => entry.GetProperty("type").GetString() == "omni.geofence.exited"));
        await PostAsync(Event("geo-phone-c-46", "omni.geofence.entered", "app", null, Store0001(), deviceId: "phone-c-46", at: now.AddSeconds(-50)));
        await PostAsync(Event("geo-phone-c-47", "omni.geofence.entered", "app", null, Store0001(), deviceId: "phone-c-47", at: now.AddSeconds(-35)));

        var stayed = await WaitForAsync("/api/customers/c-47", customer => customer.GetProperty("activeCoupons").GetArrayLength() == 1);
        var coupon = stayed.GetProperty("activeCoupons")[0];
        Assert.Equal("nearby-boots", coupon.GetProperty("ruleId").GetString());

        // Issued when the dwell ended, not on entry; the engine's queue-based timers may fire up to a second early.
        Assert.True(coupon.GetProperty("issuedAt").GetDateTimeOffset() >= now.AddSeconds(25 - 2), $"The coupon came before the dwell ended: {coupon}");

        // c-46's dwell ended 15 s before c-47's, and its second decision saw the exit.
        var left = await (await _host.Client.GetAsync("/api/customers/c-46")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, left.GetProperty("activeCoupons").GetArrayLength());
    }

    /// <summary>A geofence rule for boots within 300 m, without quiet hours (the test runs at any hour of the store's day), and boots in stock at store 0001.</summary>
    private async Task CreateBootsRuleWithStockAsync(int? dwellMinutes = null)
    {
        var rule = new JsonObject
        {
            ["name"] = "Boots nearby",
            ["priority"] = 20,
            ["signal"] = "geofence.entered",
            ["conditions"] = new JsonObject { ["skus"] = new JsonArray("SKU-BOOT"), ["viewedWithinDays"] = 7 },
            ["radiusMeters"] = 300,
            ["offer"] = new JsonObject { ["kind"] = "amount", ["value"] = 10, ["minSpend"] = 50, ["validHours"] = 24 },
            ["frequencyCap"] = new JsonObject { ["coupons"] = 1, ["perDays"] = 7 },
        };
        if (dwellMinutes is { } dwell)
        {
            rule["dwellMinutes"] = dwell;
        }

        var created = await _host.Client.PutAsync("/api/remarketing/rules/nearby-boots", new StringContent(rule.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await PostAsync(Event("inv-boot", "omni.inventory.adjusted", "pos", null, new JsonObject { ["storeid"] = "0001", ["sku"] = "SKU-BOOT", ["delta"] = 4, ["reason"] = "receiving" }, "/pos/store/0001"));
    }

    /// <summary>The customer grants marketing consent and views the boots online; waits until their Customer 360 shows both.</summary>
    private async Task ConsentedAndBrowsedBootsAsync(string customerId, DateTimeOffset? at = null)
    {
        await PostAsync(Event("consent-" + customerId, "omni.consent.changed", "app", customerId, new JsonObject { ["marketing"] = "granted" }, at: at));
        await PostAsync(Event("view-" + customerId, "omni.product.viewed", "web", customerId, new JsonObject { ["sku"] = "SKU-BOOT" }, "/web", at: at));
        await WaitForAsync("/api/customers/" + customerId, customer => customer.GetProperty("marketingConsent").GetString() == "granted" && customer.GetProperty("recentActivity").GetArrayLength() >= 2);
    }

    /// <summary>Entering the geofence of store 0001 (about 30 m from it).</summary>
    private static JsonObject Geofence(string id, string? customerId, string? deviceId = null) =>
        Event(id, "omni.geofence.entered", "app", customerId, Store0001(), deviceId: deviceId);

    private static JsonObject Store0001() => new() { ["storeid"] = "0001", ["lat"] = 40.7130, ["lon"] = -74.0055 };

    private static JsonObject Event(string id, string type, string channel, string? customerId, JsonObject data, string source = "/app/ios", string? deviceId = null, DateTimeOffset? at = null)
    {
        var cloudEvent = new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = id,
            ["source"] = source,
            ["type"] = type,
            ["time"] = (at ?? DateTimeOffset.UtcNow).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["channel"] = channel,
            ["data"] = data,
        };
        if (customerId is not null)
        {
            cloudEvent["customerid"] = customerId;
        }

        if (deviceId is not null)
        {
            cloudEvent["deviceid"] = deviceId;
        }

        return cloudEvent;
    }

    private static JsonObject Sale(string id, string code, string price) =>
        Event(id, "omni.pos.sale", "pos", "c-42", new JsonObject
        {
            ["storeid"] = "0001",
            ["lines"] = new JsonArray(new JsonObject { ["sku"] = "SKU-BOOT", ["quantity"] = 1, ["price"] = price }),
            ["couponcode"] = code,
        }, "/pos/store/0001");

    private async Task PostAsync(JsonObject cloudEvent)
    {
        var response = await _host.Client.PostAsync("/api/events", new StringContent(cloudEvent.ToJsonString(), Encoding.UTF8, "application/cloudevents+json"));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> WaitForAsync(string path, Func<JsonElement, bool> reached)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var last = "(nothing yet)";
        while (DateTime.UtcNow < deadline)
        {
            var response = await _host.Client.GetAsync(path);
            last = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode && JsonDocument.Parse(last).RootElement is var body && reached(body))
            {
                return body.Clone();
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"{path} did not reach the expected state: {last}\n{_host.Output}");
    }
}
