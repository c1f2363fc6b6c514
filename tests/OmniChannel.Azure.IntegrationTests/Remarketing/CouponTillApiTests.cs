using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Remarketing;
using static OmniChannel.Azure.IntegrationTests.Fixtures.Events;

namespace OmniChannel.Azure.IntegrationTests.Remarketing;

/// <summary>
/// The till's coupon routes over HTTP on the protocol servers, and the offline till's path through ingest: who may use
/// a code, on which basket, once per sale. Every test works under customers and codes of its own.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class CouponTillApiTests(ServersFixture servers)
{
    [Fact]
    public async Task Validate_TheCustomersOwnCodeByTheirPhone_IsValidWithTheDiscount_OthersAreToldWhyNot()
    {
        await using var host = await HttpBackbone.StartAsync(servers);
        var (customer, device, coupon) = await SeedAsync(host, minSpend: 50m);

        var own = await ValidateAsync(host, coupon.Code, new JsonObject { ["deviceid"] = device }, "80.00");
        var small = await ValidateAsync(host, coupon.Code, new JsonObject { ["customerid"] = customer }, "49.99");
        var someoneElse = await ValidateAsync(host, coupon.Code, new JsonObject { ["customerid"] = "c-someone-else" }, "80.00");
        var unknown = await ValidateAsync(host, RemarketingService.NewCode(), new JsonObject { ["customerid"] = customer }, "80.00");

        Assert.Equal((true, "valid", 12.00m), (own.GetProperty("valid").GetBoolean(), own.GetProperty("verdict").GetString(), own.GetProperty("discount").GetDecimal()));
        Assert.Equal((false, "belowMinimumSpend"), (small.GetProperty("valid").GetBoolean(), small.GetProperty("verdict").GetString()));
        Assert.Contains("at least 50.00", small.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal((false, "notThisCustomer", 0m), (someoneElse.GetProperty("valid").GetBoolean(), someoneElse.GetProperty("verdict").GetString(), someoneElse.GetProperty("discount").GetDecimal()));
        Assert.False(someoneElse.TryGetProperty("offer", out var offer) && offer.ValueKind != JsonValueKind.Null, "another customer's offer is not shown");
        Assert.Equal("unknownCode", unknown.GetProperty("verdict").GetString());
        Assert.Equal(CouponState.Issued, (await host.Backbone.Get<ICouponLedger>().GetAsync(coupon.Code, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task Redeem_OncePerSale_TheSameSaleAgainIsRedeemed_AnotherSaleIs409_AnUnknownCode404()
    {
        await using var host = await HttpBackbone.StartAsync(servers);
        var (customer, _, coupon) = await SeedAsync(host, minSpend: 0m);
        var saleId = "sale-" + Guid.NewGuid().ToString("N")[..8];

        var first = await RedeemAsync(host, coupon.Code, saleId, customer, "40.00");
        var repeat = await RedeemAsync(host, coupon.Code, saleId, customer, "40.00");
        var other = await RedeemAsync(host, coupon.Code, saleId + "-b", customer, "15.00");
        var unknown = await RedeemAsync(host, RemarketingService.NewCode(), saleId, customer, "40.00");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("redeemed", (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("verdict").GetString());
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        var problem = await other.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);
        Assert.Equal("alreadyRedeemed", problem.GetProperty("verdict").GetString());
        Assert.Contains("already used on another sale", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var stored = (await host.Backbone.Get<ICouponLedger>().GetAsync(coupon.Code, CancellationToken.None))!;
        Assert.Equal((CouponState.Redeemed, saleId, 40.00m), (stored.State, stored.RedeemedSaleId, stored.SaleTotal));
    }

    [Fact]
    public async Task Redeem_BadBody_Answers400NamingEachFieldAndItsKind()
    {
        await using var host = await HttpBackbone.StartAsync(servers);

        var response = await host.Client.PostAsync("/api/coupons/OC-AAAA-BBBB-CC/redeem", Json(new JsonObject
        {
            ["storeId"] = 7,
            ["customer"] = new JsonObject(),
            ["basketTotal"] = "lots",
            ["at"] = "2026-12-07T11:59:00",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray()
            .Select(error => (error.GetProperty("field").GetString(), error.GetProperty("kind").GetString())).ToArray();
        Assert.Equal([("storeId", "type"), ("saleId", "value"), ("customer", "value"), ("basketTotal", "value"), ("at", "value")], errors);
    }

    [Fact]
    public async Task IngestedSale_WithAnotherCustomersCode_RedeemsNothing_OpsSeeTheConflict()
    {
        await using var host = await HttpBackbone.StartAsync(servers, configure: services => services.AddSingleton<IIngestReaction, RemarketingReaction>());
        var (_, _, coupon) = await SeedAsync(host, minSpend: 0m);
        var sale = PosSale("till-sale-" + Guid.NewGuid().ToString("N")[..8], 30, "0003", "c-not-the-owner", ("SKU-T", 1));
        sale["data"]!["couponcode"] = coupon.Code;

        await host.Backbone.IngestAsync([sale]);

        Assert.Equal(CouponState.Issued, (await host.Backbone.Get<ICouponLedger>().GetAsync(coupon.Code, CancellationToken.None))!.State);
        var conflicts = await host.Client.GetFromJsonAsync<JsonElement>("/api/operations/coupon-conflicts?limit=1000");
        var conflict = Assert.Single(conflicts.GetProperty("conflicts").EnumerateArray(), row => row.GetProperty("code").GetString() == coupon.Code);
        Assert.Equal(("notThisCustomer", "0003"), (conflict.GetProperty("verdict").GetString(), conflict.GetProperty("storeId").GetString()));
    }

    /// <summary>A customer seen on an app (their phone linked to them), and a coupon of 15 % for them.</summary>
    private static async Task<(string Customer, string Device, Coupon Coupon)> SeedAsync(HttpBackbone host, decimal minSpend)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (customer, device) = ("c-till-" + suffix, "d-till-" + suffix);
        await host.Backbone.IngestAsync([Identified("till-id-" + suffix, 1, customer, device)]);
        var now = DateTimeOffset.UtcNow;
        var coupon = new Coupon(RemarketingService.NewCode(), customer, "walk-in", "0001", null, new Offer(OfferKind.Percent, 15m, minSpend, 24), now.AddHours(-1), now.AddHours(23), CouponState.Issued, "remarketing-till-" + suffix);
        await host.Backbone.Get<ICouponLedger>().IssueAsync(coupon, null, null, CancellationToken.None);
        return (customer, device, coupon);
    }

    private static async Task<JsonElement> ValidateAsync(HttpBackbone host, string code, JsonObject customer, string basket)
    {
        var response = await host.Client.PostAsync($"/api/coupons/{code}/validate", Json(new JsonObject { ["storeId"] = "0002", ["customer"] = customer, ["basketTotal"] = basket }));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static Task<HttpResponseMessage> RedeemAsync(HttpBackbone host, string code, string saleId, string customer, string basket) =>
        host.Client.PostAsync($"/api/coupons/{code}/redeem", Json(new JsonObject
        {
            ["saleId"] = saleId, ["storeId"] = "0002", ["customer"] = new JsonObject { ["customerid"] = customer }, ["basketTotal"] = basket,
        }));

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}
