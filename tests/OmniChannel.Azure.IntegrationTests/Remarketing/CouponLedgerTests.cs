using Azure.Data.Tables;
using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Profiles;
using OmniChannel.Core.Remarketing;

namespace OmniChannel.Azure.IntegrationTests.Remarketing;

/// <summary>
/// The coupon ledger and the rule store on Azurite. The tables are shared by the whole collection, so every test
/// works under codes, customers and rule ids of its own.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class CouponLedgerTests(ServersFixture servers)
{
    private static readonly DateTimeOffset Issued = new(2026, 11, 20, 15, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Issue_ThenReadByCodeByInstanceAndForTheCustomer_NewestFirstSinceTheGivenTime()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var ledger = backbone.Get<ICouponLedger>();
        var customer = Customer(); // characters a table key cannot hold as they are
        var older = Coupon(customer, Issued.AddDays(-10), "remarketing-older");
        var first = Coupon(customer, Issued, "remarketing-first");
        var second = Coupon(customer, Issued.AddHours(5), "remarketing-second") with { Sku = null, Offer = new Offer(OfferKind.Amount, 7.5m, 40m, 24) };
        var someoneElse = Coupon(Customer(), Issued.AddHours(1), "remarketing-first");

        foreach (var coupon in new[] { older, first, second, someoneElse })
        {
            await ledger.IssueAsync(coupon, null, null, CancellationToken.None);
        }

        Assert.Equal(first, await ledger.GetAsync(first.Code, CancellationToken.None));
        Assert.Equal(second, await ledger.GetAsync(second.Code, CancellationToken.None));
        Assert.Null(await ledger.GetAsync(RemarketingService.NewCode(), CancellationToken.None));
        Assert.Equal(first, await ledger.FindByInstanceAsync(customer, "remarketing-first", CancellationToken.None));
        Assert.Equal(someoneElse, await ledger.FindByInstanceAsync(someoneElse.CustomerId, "remarketing-first", CancellationToken.None));
        Assert.Null(await ledger.FindByInstanceAsync(customer, "remarketing-never", CancellationToken.None));
        Assert.Equal([second, first], await ledger.ForCustomerAsync(customer, Issued.AddDays(-7), CancellationToken.None));
        Assert.Equal([second, first, older], await ledger.ForCustomerAsync(customer, Issued.AddDays(-30), CancellationToken.None));
    }

    [Fact]
    public async Task Redeem_Once_RedeemsWithTheSale_Again_IsAlreadyRedeemedAndKeepsTheFirstSale()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var ledger = backbone.Get<ICouponLedger>();
        var coupon = Coupon(Customer(), Issued, "remarketing-redeem");
        await ledger.IssueAsync(coupon, null, null, CancellationToken.None);
        var saleAt = Issued.AddHours(3);

        var (outcome, redeemed) = await ledger.RedeemAsync(coupon.Code, "sale-2", "0007", 42.50m, saleAt, CancellationToken.None);
        var (again, current) = await ledger.RedeemAsync(coupon.Code, "sale-3", "0009", 99m, saleAt.AddMinutes(10), CancellationToken.None);

        var expected = coupon with { State = CouponState.Redeemed, RedeemedAt = saleAt, RedeemedStoreId = "0007", SaleTotal = 42.50m, RedeemedSaleId = "sale-2" };
        Assert.Equal((RedeemOutcome.Redeemed, expected), (outcome, redeemed));
        Assert.Equal((RedeemOutcome.AlreadyRedeemed, expected), (again, current));
        Assert.Equal(expected, await ledger.GetAsync(coupon.Code, CancellationToken.None));

        // The customer's index row follows: the cap and the issue step see the coupon as it stands.
        Assert.Equal(expected, await ledger.FindByInstanceAsync(coupon.CustomerId, coupon.InstanceId, CancellationToken.None));
        Assert.Equal([expected], await ledger.ForCustomerAsync(coupon.CustomerId, Issued.AddDays(-1), CancellationToken.None));
    }

    [Fact]
    public async Task Redeem_TwentySalesRacingWithOneCode_ExactlyOneRedeems()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var ledger = backbone.Get<ICouponLedger>();
        var coupon = Coupon(Customer(), Issued, "remarketing-race");
        await ledger.IssueAsync(coupon, null, null, CancellationToken.None);

        var results = await Task.WhenAll(Enumerable.Range(1, 20).Select(sale => Task.Run(() =>
            ledger.RedeemAsync(coupon.Code, $"sale-{sale}", $"{sale:D4}", 10m + sale, Issued.AddHours(1), CancellationToken.None))));

        var winner = Assert.Single(results, result => result.Outcome == RedeemOutcome.Redeemed);
        Assert.All(results.Where(result => result.Outcome != RedeemOutcome.Redeemed), result => Assert.Equal(RedeemOutcome.AlreadyRedeemed, result.Outcome));
        var stored = await ledger.GetAsync(coupon.Code, CancellationToken.None);
        Assert.Equal(winner.Coupon, stored);
        Assert.Equal((CouponState.Redeemed, winner.Coupon!.SaleTotal), (stored!.State, stored.SaleTotal));
    }

    [Fact]
    public async Task Redeem_ASaleAfterTheExpiryIsRefused_ASaleMadeBeforeItAndIngestedAfterItRedeems()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var ledger = backbone.Get<ICouponLedger>();
        var coupon = Coupon(Customer(), DateTimeOffset.UtcNow.AddHours(-30), "remarketing-late", validHours: 24);
        await ledger.IssueAsync(coupon, null, null, CancellationToken.None);

        var (late, _) = await ledger.RedeemAsync(coupon.Code, "sale-late", "0007", 42.50m, DateTimeOffset.UtcNow, CancellationToken.None);
        var unchanged = await ledger.GetAsync(coupon.Code, CancellationToken.None);
        await ledger.ExpireAsync(coupon.Code, CancellationToken.None);
        await ledger.ExpireAsync(coupon.Code, CancellationToken.None);
        var expired = await ledger.GetAsync(coupon.Code, CancellationToken.None);
        var madeBefore = coupon.ExpiresAt.AddMinutes(-1);
        var (inTime, redeemed) = await ledger.RedeemAsync(coupon.Code, "sale-in-time", "0007", 42.50m, madeBefore, CancellationToken.None);
        var (repeat, _) = await ledger.RedeemAsync(coupon.Code, "sale-in-time", "0007", 42.50m, madeBefore, CancellationToken.None);
        var (other, _) = await ledger.RedeemAsync(coupon.Code, "sale-other", "0008", 10m, madeBefore, CancellationToken.None);

        Assert.Equal(RedeemOutcome.Expired, late);
        Assert.Equal(CouponState.Issued, unchanged!.State);
        Assert.Equal(coupon with { State = CouponState.Expired }, expired);
        Assert.Equal((RedeemOutcome.Redeemed, RedeemOutcome.Redeemed, RedeemOutcome.AlreadyRedeemed), (inTime, repeat, other));
        Assert.Equal(coupon with { State = CouponState.Redeemed, RedeemedAt = madeBefore, RedeemedStoreId = "0007", SaleTotal = 42.50m, RedeemedSaleId = "sale-in-time" }, redeemed);
        Assert.Equal(redeemed, await ledger.FindByInstanceAsync(coupon.CustomerId, coupon.InstanceId, CancellationToken.None));
    }

    [Fact]
    public async Task Expire_ARedeemedCoupon_StaysRedeemed_AndAnUnknownCodeIsNothing()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var ledger = backbone.Get<ICouponLedger>();
        var coupon = Coupon(Customer(), Issued, "remarketing-kept");
        await ledger.IssueAsync(coupon, null, null, CancellationToken.None);
        var (_, redeemed) = await ledger.RedeemAsync(coupon.Code, "sale-7", "0007", 42.50m, Issued.AddHours(2), CancellationToken.None);

        await ledger.ExpireAsync(coupon.Code, CancellationToken.None);
        await ledger.ExpireAsync(RemarketingService.NewCode(), CancellationToken.None);

        Assert.Equal(redeemed, await ledger.GetAsync(coupon.Code, CancellationToken.None));
        Assert.Equal(redeemed, await ledger.FindByInstanceAsync(coupon.CustomerId, coupon.InstanceId, CancellationToken.None));
        var (unknown, none) = await ledger.RedeemAsync(RemarketingService.NewCode(), "sale-8", "0007", 1m, Issued, CancellationToken.None);
        Assert.Equal(RedeemOutcome.Unknown, unknown);
        Assert.Null(none);
    }

    [Fact]
    public async Task RuleStore_EveryFieldSurvivesTheRoundTrip()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var store = backbone.Get<IRuleStore>();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var full = new RemarketingRule(
            "it-full." + suffix,
            "Cart left behind, big spenders",
            Enabled: false,
            Priority: -17,
            RemarketingSignal.CartAbandoned,
            new RuleConditions(["SKU-1", "SKU-22"], ["Outdoor", "shoes"], 49.95m, [JourneyStage.Cart, JourneyStage.CartAbandoned, JourneyStage.Considering], 30),
            RadiusMeters: 12_345,
            Stores: ["0001", "0042"],
            new Offer(OfferKind.Amount, 7.5m, 40.25m, 36),
            new FrequencyCap(3, 14),
            new QuietHours(new TimeOnly(22, 30), new TimeOnly(6, 15))) { DailyBudget = 1_234 };
        var bare = new RemarketingRule("it-bare_" + suffix, "Any view", true, 0, RemarketingSignal.ProductViewed, RuleConditions.Any, RuleRequests.MinRadiusMeters, [], new Offer(OfferKind.Percent, 90m, 0m, 2160), new FrequencyCap(1, 1), null);

        await store.SaveAsync(full, null, CancellationToken.None);
        await store.SaveAsync(bare, null, CancellationToken.None);

        var readFull = await store.GetAsync(full.Id, CancellationToken.None);
        var readBare = await store.GetAsync(bare.Id, CancellationToken.None);
        AssertSameRule(full, readFull!.Value);
        AssertSameRule(bare, readBare!.Value);
        var listed = (await store.ListAsync(CancellationToken.None)).Where(rule => rule.Value.Id.EndsWith(suffix, StringComparison.Ordinal)).ToList();
        Assert.Equal([bare.Id, full.Id], listed.Select(rule => rule.Value.Id)); // in id order
        Assert.Equal([readBare.ETag, readFull.ETag], listed.Select(rule => rule.ETag));
    }

    [Fact]
    public async Task RuleStore_ETags_CreateTwiceConflicts_AStaleReplaceOrDeleteIsRefused()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var store = backbone.Get<IRuleStore>();
        var rule = RuleSeed.Example with { Id = "it-etag-" + Guid.NewGuid().ToString("N")[..8] };

        var first = await store.SaveAsync(rule, null, CancellationToken.None);
        await Assert.ThrowsAsync<StorageConflictException>(() => store.SaveAsync(rule, null, CancellationToken.None));
        var second = await store.SaveAsync(rule with { Priority = 42 }, first, CancellationToken.None);
        await Assert.ThrowsAsync<PreconditionFailedException>(() => store.SaveAsync(rule with { Priority = 7 }, first, CancellationToken.None));
        await Assert.ThrowsAsync<PreconditionFailedException>(() => store.DeleteAsync(rule.Id, first, CancellationToken.None));

        var current = await store.GetAsync(rule.Id, CancellationToken.None);
        Assert.Equal((42, second), (current!.Value.Priority, current.ETag));
        Assert.True(await store.DeleteAsync(rule.Id, second, CancellationToken.None));
        Assert.False(await store.DeleteAsync(rule.Id, null, CancellationToken.None));
        Assert.Null(await store.GetAsync(rule.Id, CancellationToken.None));
        await Assert.ThrowsAsync<PreconditionFailedException>(() => store.SaveAsync(rule, "*", CancellationToken.None));
    }

    [Fact]
    public async Task RuleStore_ARuleSavedWithARadiusBelow100Metres_ReadsWithTheMinimumInsteadOfFailing()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var store = backbone.Get<IRuleStore>();
        var rule = RuleSeed.Example with { Id = "it-small-" + Guid.NewGuid().ToString("N")[..8] };
        var json = RuleJson.Write(rule);
        json["radiusMeters"] = 10; // as the store kept it when 10 m was allowed
        await new TableServiceClient(servers.Azurite.ConnectionString).GetTableClient(Core.OmniChannelNames.Tables.RemarketingRules)
            .AddEntityAsync(new TableEntity("rule", rule.Id) { ["Json"] = json.ToJsonString() });

        var read = await store.GetAsync(rule.Id, CancellationToken.None);
        var listed = (await store.ListAsync(CancellationToken.None)).Single(stored => stored.Value.Id == rule.Id);

        Assert.Equal((RuleRequests.MinRadiusMeters, RuleRequests.MinRadiusMeters), (read!.Value.RadiusMeters, listed.Value.RadiusMeters));
    }

    private static void AssertSameRule(RemarketingRule expected, RemarketingRule actual)
    {
        Assert.Equal(
            (expected.Id, expected.Name, expected.Enabled, expected.Priority, expected.Signal, expected.RadiusMeters, expected.Offer, expected.FrequencyCap, expected.QuietHours, expected.DailyBudget),
            (actual.Id, actual.Name, actual.Enabled, actual.Priority, actual.Signal, actual.RadiusMeters, actual.Offer, actual.FrequencyCap, actual.QuietHours, actual.DailyBudget));
        Assert.Equal(expected.Stores, actual.Stores);
        Assert.Equal(expected.Conditions.Skus, actual.Conditions.Skus);
        Assert.Equal(expected.Conditions.Categories, actual.Conditions.Categories);
        Assert.Equal(expected.Conditions.JourneyStages, actual.Conditions.JourneyStages);
        Assert.Equal((expected.Conditions.MinCartValue, expected.Conditions.ViewedWithinDays), (actual.Conditions.MinCartValue, actual.Conditions.ViewedWithinDays));
    }

    /// <summary>A customer of this test alone, with characters that must be escaped in a table key.</summary>
    private static string Customer() => "it/c#" + Guid.NewGuid().ToString("N")[..8];

    private static Coupon Coupon(string customerId, DateTimeOffset issuedAt, string instanceId, int validHours = 48) =>
        new(RemarketingService.NewCode(), customerId, "walk-in", "0001", "SKU-1", new Offer(OfferKind.Percent, 15, 30, validHours), issuedAt, issuedAt.AddHours(validHours), CouponState.Issued, instanceId);
}
