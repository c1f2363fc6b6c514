using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Azure.Tables;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Remarketing;
using static OmniChannel.Azure.IntegrationTests.Fixtures.Events;

namespace OmniChannel.Azure.IntegrationTests.Remarketing;

/// <summary>
/// Issuing coupons on Azurite: the frequency cap under concurrent signals of one customer, a rule's daily budget under
/// concurrent issues for many customers, and the issue step retried after a crash between its writes. Every test works
/// under customers and rules of its own (the tables are shared).
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class CouponIssueTests(ServersFixture servers)
{
    private static readonly Offer TenPercent = new(OfferKind.Percent, 10m, 0m, 24);

    [Fact]
    public async Task Issue_TwentyConcurrentSignalsOfOneCustomerAgainstACapOfOne_IssueExactlyOne()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var ledger = backbone.Get<ICouponLedger>();
        var customer = "c-cap/" + Guid.NewGuid().ToString("N")[..8];
        var now = DateTimeOffset.UtcNow;

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(signal => Task.Run(() => ledger.IssueAsync(
            Coupon(customer, $"remarketing-cap-{signal}", now), new FrequencyCap(1, 7), null, CancellationToken.None))));

        var issued = Assert.Single(results, result => result.Outcome == IssueOutcome.Issued);
        Assert.Equal(19, results.Count(result => result.Outcome == IssueOutcome.CapReached));
        Assert.Equal([issued.Coupon!], await ledger.ForCustomerAsync(customer, now.AddDays(-7), CancellationToken.None));
        Assert.Equal(issued.Coupon, await ledger.GetAsync(issued.Coupon!.Code, CancellationToken.None));
    }

    [Fact]
    public async Task Issue_CapCountsEveryRulesCouponsInItsWindowOnly()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var ledger = backbone.Get<ICouponLedger>();
        var customer = "c-window-" + Guid.NewGuid().ToString("N")[..8];
        var now = DateTimeOffset.UtcNow;
        await ledger.IssueAsync(Coupon(customer, "remarketing-old", now.AddDays(-8)), null, null, CancellationToken.None);
        await ledger.IssueAsync(Coupon(customer, "remarketing-recent", now.AddDays(-2)) with { RuleId = "other-rule" }, null, null, CancellationToken.None);

        var twoPerWeek = await ledger.IssueAsync(Coupon(customer, "remarketing-a", now), new FrequencyCap(2, 7), null, CancellationToken.None);
        var thirdPerWeek = await ledger.IssueAsync(Coupon(customer, "remarketing-b", now), new FrequencyCap(2, 7), null, CancellationToken.None);
        var onePerDay = await ledger.IssueAsync(Coupon(customer, "remarketing-c", now.AddDays(1.5)), new FrequencyCap(2, 1), null, CancellationToken.None);

        Assert.Equal((IssueOutcome.Issued, IssueOutcome.CapReached, IssueOutcome.Issued), (twoPerWeek.Outcome, thirdPerWeek.Outcome, onePerDay.Outcome));
        Assert.Equal(4, (await ledger.ForCustomerAsync(customer, now.AddDays(-30), CancellationToken.None)).Count);
    }

    /// <summary>
    /// Issuing writes twice (the cap and index rows in one transaction, then the code row). Each write failing before
    /// it is sent (a crash) or after it was stored (the answer lost), then the step run again as the workflow retries it
    /// — with a fresh code, as every attempt mints one: one coupon stands, under the first code that was stored, and
    /// its code row exists.
    /// </summary>
    [Fact]
    public async Task IssueStep_FailingAtEitherWriteThenRetried_IssuesOneCouponAndItsCodeIsRedeemable()
    {
        var fault = new FailingNthTableWrite();
        await using var backbone = await Backbone.StartAsync(servers, services => services.AddSingleton<ICouponLedger>(provider =>
            new TableCouponLedger(new TableServiceClient(servers.Azurite.ConnectionString, fault.Options()))));
        var rule = new RemarketingRule("it-issue-" + Guid.NewGuid().ToString("N")[..8], "Walk-in", true, 0, RemarketingSignal.GeofenceEntered,
            RuleConditions.Any, 500, [], TenPercent, new FrequencyCap(1, 7), null);
        await backbone.Get<IRuleStore>().SaveAsync(rule, null, CancellationToken.None);
        var service = backbone.Get<RemarketingService>();
        var ledger = backbone.Get<ICouponLedger>();

        foreach (var afterSending in new[] { false, true })
        {
            for (var failAt = 1; failAt <= 2; failAt++)
            {
                var step = $"write {failAt} failing {(afterSending ? "after it was stored" : "before it was sent")}";
                var customer = $"c-crash-{failAt}{(afterSending ? "a" : "b")}-{Guid.NewGuid().ToString("N")[..6]}";
                await backbone.IngestAsync([ConsentChanged("consent-" + customer, 1, customer, "granted")]);
                var input = new RemarketingInput(customer, "evt-" + customer, RemarketingSignal.GeofenceEntered, DateTimeOffset.UtcNow, [], null, "0001", null, null);
                var grant = new RemarketingGrant(rule.Id, rule.Name, "0001", "Store 1", null, TenPercent);

                fault.Arm(failAt, afterSending);
                await Assert.ThrowsAnyAsync<Exception>(() => service.IssueAsync(input, grant, "remarketing-" + customer, CancellationToken.None));
                Assert.True(fault.Failed, step);
                fault.Arm(0);
                var retried = await service.IssueAsync(input, grant, "remarketing-" + customer, CancellationToken.None);

                Assert.NotNull(retried);
                var standing = await ledger.ForCustomerAsync(customer, DateTimeOffset.UtcNow.AddDays(-1), CancellationToken.None);
                Assert.True(standing.Count == 1, $"{step}: {standing.Count} coupons");
                Assert.Equal(standing[0].Code, retried.Code);
                Assert.Equal(retried, await ledger.GetAsync(retried.Code, CancellationToken.None));
                Assert.True((await CodeRowsOfAsync(customer)).SequenceEqual([retried.Code]), $"{step}: code rows {string.Join(", ", await CodeRowsOfAsync(customer))}");
                var (redeemed, _) = await ledger.RedeemAsync(retried.Code, "sale-1", "0001", 20m, DateTimeOffset.UtcNow, CancellationToken.None);
                Assert.Equal(RedeemOutcome.Redeemed, redeemed);
            }
        }
    }

    [Fact]
    public async Task IssueStep_TwentyConcurrentInstancesOfOneCustomerAgainstACapOfOne_IssueOneCoupon()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var rule = new RemarketingRule("it-race-" + Guid.NewGuid().ToString("N")[..8], "Walk-in", true, 0, RemarketingSignal.GeofenceEntered,
            RuleConditions.Any, 500, [], TenPercent, new FrequencyCap(1, 7), null);
        await backbone.Get<IRuleStore>().SaveAsync(rule, null, CancellationToken.None);
        var customer = "c-race-" + Guid.NewGuid().ToString("N")[..8];
        await backbone.IngestAsync([ConsentChanged("consent-" + customer, 1, customer, "granted")]);
        var service = backbone.Get<RemarketingService>();
        var grant = new RemarketingGrant(rule.Id, rule.Name, "0001", "Store 1", null, TenPercent);

        var coupons = await Task.WhenAll(Enumerable.Range(0, 20).Select(signal => Task.Run(() => service.IssueAsync(
            new RemarketingInput(customer, $"evt-{signal}", RemarketingSignal.GeofenceEntered, DateTimeOffset.UtcNow, [], null, "0001", null, null),
            grant, $"remarketing-{customer}-{signal}", CancellationToken.None))));

        var issued = Assert.Single(coupons, coupon => coupon is not null);
        Assert.Equal([issued!.Code], (await backbone.Get<ICouponLedger>().ForCustomerAsync(customer, DateTimeOffset.UtcNow.AddDays(-7), CancellationToken.None)).Select(coupon => coupon.Code));
        Assert.Equal([issued.Code], await CodeRowsOfAsync(customer));
    }

    [Fact]
    public async Task Issue_TwentyConcurrentCustomersOfARuleWithADailyBudgetOfFive_IssueExactlyFive()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var ledger = backbone.Get<ICouponLedger>();
        var rule = "it-budget-" + Guid.NewGuid().ToString("N")[..8];
        var now = DateTimeOffset.UtcNow;

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(customer => Task.Run(() => ledger.IssueAsync(
            RuleCoupon(rule, $"c-budget-{customer}-{rule}", now), new FrequencyCap(1, 7), 5, CancellationToken.None))));

        Assert.Equal(5, results.Count(result => result.Outcome == IssueOutcome.Issued));
        Assert.Equal(15, results.Count(result => result.Outcome == IssueOutcome.BudgetSpent));
        Assert.All(results.Where(result => result.Outcome == IssueOutcome.BudgetSpent), result => Assert.Null(result.Coupon));
        Assert.Equal(5, await ledger.DailyBudgetUsedAsync(rule, DateOnly.FromDateTime(now.UtcDateTime), CancellationToken.None));
        foreach (var issued in results.Where(result => result.Outcome == IssueOutcome.Issued))
        {
            Assert.Equal(issued.Coupon, await ledger.GetAsync(issued.Coupon!.Code, CancellationToken.None));
        }
    }

    [Fact]
    public async Task Issue_ACustomerTheCapRefuses_UsesNoBudgetSlot()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var ledger = backbone.Get<ICouponLedger>();
        var rule = "it-budget-cap-" + Guid.NewGuid().ToString("N")[..8];
        var capped = "c-capped-" + rule;
        var now = DateTimeOffset.UtcNow;
        var day = DateOnly.FromDateTime(now.UtcDateTime);

        // Twenty signals of one customer at once against a cap of one: several take a slot before their cap
        // transaction loses to the one that issues; each of those gives its slot back.
        var racing = await Task.WhenAll(Enumerable.Range(0, 20).Select(signal => Task.Run(() => ledger.IssueAsync(
            Coupon(capped, $"remarketing-racing-{signal}", now) with { RuleId = rule }, new FrequencyCap(1, 7), 3, CancellationToken.None))));
        var usedAfterTheRace = await ledger.DailyBudgetUsedAsync(rule, day, CancellationToken.None);
        var again = await ledger.IssueAsync(Coupon(capped, "remarketing-again", now) with { RuleId = rule }, new FrequencyCap(1, 7), 3, CancellationToken.None);
        var usedAfterTheRefusal = await ledger.DailyBudgetUsedAsync(rule, day, CancellationToken.None);
        var others = new List<IssueOutcome>();
        foreach (var other in new[] { "c-other-a-", "c-other-b-", "c-other-c-" })
        {
            others.Add((await ledger.IssueAsync(RuleCoupon(rule, other + rule, now), new FrequencyCap(1, 7), 3, CancellationToken.None)).Outcome);
        }

        Assert.Single(racing, result => result.Outcome == IssueOutcome.Issued);
        Assert.All(racing.Where(result => result.Outcome != IssueOutcome.Issued), result => Assert.Contains(result.Outcome, new[] { IssueOutcome.CapReached, IssueOutcome.BudgetSpent }));
        Assert.Equal((1, IssueOutcome.CapReached, 1), (usedAfterTheRace, again.Outcome, usedAfterTheRefusal));
        Assert.Equal([IssueOutcome.Issued, IssueOutcome.Issued, IssueOutcome.BudgetSpent], others);
        Assert.Equal(3, await ledger.DailyBudgetUsedAsync(rule, day, CancellationToken.None));
        Assert.Single(await ledger.ForCustomerAsync(capped, now.AddDays(-1), CancellationToken.None));
    }

    [Fact]
    public async Task IssueStep_ARuleWithADailyBudgetOfOne_IssuesTheSecondCustomerNothing()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var rule = new RemarketingRule("it-budget-step-" + Guid.NewGuid().ToString("N")[..8], "Walk-in", true, 0, RemarketingSignal.GeofenceEntered,
            RuleConditions.Any, 500, [], TenPercent, new FrequencyCap(1, 7), null) { DailyBudget = 1 };
        await backbone.Get<IRuleStore>().SaveAsync(rule, null, CancellationToken.None);
        var service = backbone.Get<RemarketingService>();
        var grant = new RemarketingGrant(rule.Id, rule.Name, "0001", "Store 1", null, TenPercent);
        var coupons = new List<Coupon?>();
        foreach (var customer in new[] { "c-step-a-" + rule.Id, "c-step-b-" + rule.Id })
        {
            await backbone.IngestAsync([ConsentChanged("consent-" + customer, 1, customer, "granted")]);
            coupons.Add(await service.IssueAsync(
                new RemarketingInput(customer, "evt-" + customer, RemarketingSignal.GeofenceEntered, DateTimeOffset.UtcNow, [], null, "0001", null, null),
                grant, "remarketing-" + customer, CancellationToken.None));
        }

        Assert.NotNull(coupons[0]);
        Assert.Null(coupons[1]);
        Assert.Empty(await backbone.Get<ICouponLedger>().ForCustomerAsync("c-step-b-" + rule.Id, DateTimeOffset.UtcNow.AddDays(-1), CancellationToken.None));
    }

    /// <summary>The codes whose code rows name the customer (a scan of the shared table, filtered here).</summary>
    private async Task<List<string>> CodeRowsOfAsync(string customer)
    {
        var table = new TableServiceClient(servers.Azurite.ConnectionString).GetTableClient(Core.OmniChannelNames.Tables.Coupons);
        var codes = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(row => row.RowKey == "coupon"))
        {
            var coupon = System.Text.Json.JsonSerializer.Deserialize<Coupon>(row.GetString("Coupon")!, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
            if (coupon.CustomerId == customer)
            {
                codes.Add(coupon.Code);
            }
        }

        return codes;
    }

    private static Coupon Coupon(string customer, string instanceId, DateTimeOffset issuedAt) =>
        new(RemarketingService.NewCode(), customer, "walk-in", "0001", null, TenPercent, issuedAt, issuedAt.AddHours(24), CouponState.Issued, instanceId);

    /// <summary>A coupon of the rule for the customer, issued by an instance named after the customer.</summary>
    private static Coupon RuleCoupon(string ruleId, string customer, DateTimeOffset issuedAt) =>
        Coupon(customer, "remarketing-" + customer, issuedAt) with { RuleId = ruleId };

    /// <summary>
    /// A Tables pipeline step that fails the <c>n</c>-th write request (POST, PUT, PATCH, MERGE, DELETE): before it is
    /// sent (a crash between two writes) or after the service stored it (the answer lost, as with a timeout).
    /// </summary>
    private sealed class FailingNthTableWrite : HttpPipelinePolicy
    {
        private int _writes;
        private int _failAt;
        private bool _afterSending;

        public bool Failed { get; private set; }

        public void Arm(int failAt, bool afterSending = false) => (_writes, _failAt, _afterSending, Failed) = (0, failAt, afterSending, false);

        public TableClientOptions Options()
        {
            var options = new TableClientOptions();
            options.Retry.MaxRetries = 0;
            options.AddPolicy(this, HttpPipelinePosition.PerRetry);
            return options;
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            var failing = message.Request.Method != RequestMethod.Get && _failAt > 0 && Interlocked.Increment(ref _writes) == _failAt;
            if (failing && !_afterSending)
            {
                Failed = true;
                throw new InvalidOperationException($"Write {_failAt} did not happen (a crash before it).");
            }

            await ProcessNextAsync(message, pipeline);
            if (failing)
            {
                Failed = true;
                throw new InvalidOperationException($"Write {_failAt} was stored but its answer was lost.");
            }
        }
    }
}
