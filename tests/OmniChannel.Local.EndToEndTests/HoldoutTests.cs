using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OmniChannel.Local.EndToEndTests;

/// <summary>
/// A rule with a 20 % holdout over a simulated week on the local host. The week is simulated by the events' own
/// times: 40 customers consent eight days ago, walk past store 0001 on one of the last seven days (the 'time' of each
/// geofence event), and buy a day after their walk; half of the treated ones also redeem their coupon today. The
/// insights summary then shows both groups with their sales per customer and the uplift with its interval.
/// </summary>
public sealed class HoldoutTests : IAsyncLifetime
{
    private const string RuleId = "week-holdout";
    private const int Customers = 40;

    /// <summary>The customers SHA-256 puts below 2,000 of 10,000 for this rule: the 20 % held out (HoldoutGroupsTests pins the hash).</summary>
    private static readonly string[] HeldOut = ["w-06", "w-07", "w-14", "w-26", "w-28", "w-30", "w-37", "w-38", "w-39"];

    private LocalHostProcess _host = null!;

    // The week is simulated by the events' own times, so its geofence entries are days old when they arrive: they are
    // decided as if fresh here (the 15-minute age limit has its own workflow test).
    public async Task InitializeAsync() => _host = await LocalHostProcess.StartAsync(settings: null, extraArguments: new Dictionary<string, string>
    {
        ["OmniChannel:Remarketing:MaxGeofenceSignalAge"] = "8.00:00:00",
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task RuleWithA20PercentHoldout_OverASimulatedWeek_InsightsShowBothGroupsAndTheUplift()
    {
        var now = DateTimeOffset.UtcNow;
        var weekStart = now.AddDays(-7).AddHours(1);
        await CreateRuleAsync();
        var people = Enumerable.Range(0, Customers).Select(index => (Id: $"w-{index:D2}", Index: index, WalkedAt: weekStart.AddDays(index % 6).AddMinutes(index))).ToList();

        await PostBatchAsync(people.Select(person => Event($"consent-{person.Id}", "omni.consent.changed", "app", person.Id, now.AddDays(-8), new JsonObject { ["marketing"] = "granted" })));
        await WaitForAsync($"/api/customers/{people[^1].Id}", customer => customer.GetProperty("marketingConsent").GetString() == "granted");
        await PostBatchAsync(people.Select(person => Event($"walk-{person.Id}", "omni.geofence.entered", "app", person.Id, person.WalkedAt,
            new JsonObject { ["storeid"] = "0001", ["lat"] = 40.7130, ["lon"] = -74.0055 })));

        // Every walk was decided: treated (a coupon) or held out (would have fired; nothing sent).
        await WaitForAsync(SummaryPath(now), summary => Uplift(summary) is { } rule
            && rule.GetProperty("treated").GetProperty("customers").GetInt64() + rule.GetProperty("heldOut").GetProperty("customers").GetInt64() == Customers);
        var codes = new Dictionary<string, string>();
        foreach (var person in people)
        {
            var customer = await GetAsync($"/api/customers/{person.Id}");
            if (customer.GetProperty("activeCoupons").GetArrayLength() == 1)
            {
                codes[person.Id] = customer.GetProperty("activeCoupons")[0].GetProperty("code").GetString()!;
            }
        }

        Assert.Equal(HeldOut, people.Select(person => person.Id).Except(codes.Keys).Order(StringComparer.Ordinal));

        // A day after the walk everyone buys (treated customers more); even-numbered treated customers also redeem today.
        var sales = people.Select(person => Sale($"buy-{person.Id}", person.Id, person.WalkedAt.AddDays(1), codes.ContainsKey(person.Id) ? 60 + (person.Index % 3 * 10) : 30 + (person.Index % 3 * 10), null)).ToList();
        sales.AddRange(people.Where(person => codes.ContainsKey(person.Id) && person.Index % 2 == 0).Select(person => Sale($"redeem-{person.Id}", person.Id, now, 25, codes[person.Id])));
        await PostBatchAsync(sales);
        await PostBatchAsync([sales[0]]); // a redelivered sale counts once

        var expectedPurchases = sales.Count;
        var done = await WaitForAsync(SummaryPath(now), summary => Uplift(summary) is { } rule
            && rule.GetProperty("treated").GetProperty("purchases").GetInt64() + rule.GetProperty("heldOut").GetProperty("purchases").GetInt64() == expectedPurchases);
        var uplift = Uplift(done)!.Value;
        var treated = uplift.GetProperty("treated");
        var heldOut = uplift.GetProperty("heldOut");
        Assert.Equal((20, 7), (uplift.GetProperty("holdoutPercent").GetInt32(), uplift.GetProperty("attributionDays").GetInt32()));
        Assert.Equal((31L, 9L), (treated.GetProperty("customers").GetInt64(), heldOut.GetProperty("customers").GetInt64()));
        var redeemers = codes.Keys.Count(id => int.Parse(id[2..], CultureInfo.InvariantCulture) % 2 == 0);
        Assert.Equal(redeemers, treated.GetProperty("redeemers").GetInt64());
        Assert.Equal((double)redeemers / 31, uplift.GetProperty("redemptionRate").GetDouble(), 9);

        var treatedSales = people.Where(person => codes.ContainsKey(person.Id)).Sum(person => 60 + (person.Index % 3 * 10) + (person.Index % 2 == 0 ? 25 : 0));
        var heldOutSales = people.Where(person => !codes.ContainsKey(person.Id)).Sum(person => 30 + (person.Index % 3 * 10));
        Assert.Equal(treatedSales / 31.0, treated.GetProperty("salesPerCustomer").GetDouble(), 6);
        Assert.Equal(heldOutSales / 9.0, heldOut.GetProperty("salesPerCustomer").GetDouble(), 6);
        Assert.Equal((treatedSales / 31.0) - (heldOutSales / 9.0), uplift.GetProperty("uplift").GetDouble(), 6);
        Assert.True(uplift.GetProperty("upliftLow").GetDouble() < uplift.GetProperty("uplift").GetDouble());
        Assert.True(uplift.GetProperty("upliftHigh").GetDouble() > uplift.GetProperty("uplift").GetDouble());

        // The 360 says which rule earned the sale, for the held out as for the treated.
        var shown = await GetAsync($"/api/customers/{HeldOut[0]}");
        var attributed = Assert.Single(shown.GetProperty("attributedSales").EnumerateArray());
        Assert.Equal((RuleId, "heldOut"), (attributed.GetProperty("ruleId").GetString(), attributed.GetProperty("group").GetString()));
    }

    private static string SummaryPath(DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"/api/insights/summary?from={now.AddDays(-8):yyyy-MM-dd}&to={now:yyyy-MM-dd}");

    private static JsonElement? Uplift(JsonElement summary) =>
        summary.GetProperty("uplift").EnumerateArray().Where(rule => rule.GetProperty("ruleId").GetString() == RuleId).Select(rule => (JsonElement?)rule).FirstOrDefault();

    /// <summary>Any walk past a store within 300 m earns 5.00 off (valid ten days) — except for the 20 % held out.</summary>
    private async Task CreateRuleAsync()
    {
        var rule = new JsonObject
        {
            ["name"] = "Week with a holdout",
            ["priority"] = 100,
            ["signal"] = "geofence.entered",
            ["radiusMeters"] = 300,
            ["offer"] = new JsonObject { ["kind"] = "amount", ["value"] = "5", ["minSpend"] = "20", ["validHours"] = 240 },
            ["frequencyCap"] = new JsonObject { ["coupons"] = 1, ["perDays"] = 7 },
            ["holdoutPercent"] = 20,
            ["attributionDays"] = 7,
        };
        var created = await _host.Client.PutAsync($"/api/remarketing/rules/{RuleId}", new StringContent(rule.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    private static JsonObject Sale(string id, string customerId, DateTimeOffset at, decimal total, string? code)
    {
        var data = new JsonObject
        {
            ["storeid"] = "0001",
            ["lines"] = new JsonArray(new JsonObject { ["sku"] = "SKU-1", ["quantity"] = 1, ["price"] = total.ToString("0.00", CultureInfo.InvariantCulture) }),
        };
        if (code is not null)
        {
            data["couponcode"] = code;
        }

        return Event(id, "omni.pos.sale", "pos", customerId, at, data, "/pos/store/0001");
    }

    private static JsonObject Event(string id, string type, string channel, string customerId, DateTimeOffset at, JsonObject data, string source = "/app/ios") => new()
    {
        ["specversion"] = "1.0",
        ["id"] = id,
        ["source"] = source,
        ["type"] = type,
        ["time"] = at.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ["channel"] = channel,
        ["customerid"] = customerId,
        ["data"] = data,
    };

    private async Task PostBatchAsync(IEnumerable<JsonObject> events)
    {
        var response = await _host.Client.PostAsync("/api/events", Traffic.Batch(events));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> GetAsync(string path) => (await _host.Client.GetFromJsonAsync<JsonElement>(path)).Clone();

    private async Task<JsonElement> WaitForAsync(string path, Func<JsonElement, bool> reached)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        var last = "(nothing yet)";
        while (DateTime.UtcNow < deadline)
        {
            var response = await _host.Client.GetAsync(path);
            last = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode && JsonDocument.Parse(last).RootElement is var body && reached(body))
            {
                return body.Clone();
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"{path} did not reach the expected state: {last}\n{_host.Output}");
    }
}
