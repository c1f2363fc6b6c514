using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Remarketing;

namespace OmniChannel.Azure.IntegrationTests.Remarketing;

/// <summary>
/// The holdout attribution table on Azurite: a window and a sale each count once, whatever is repeated or runs at the
/// same moment, and the daily group totals agree with the customers' rows. Each test works under a rule id of its own.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class AttributionStoreTests(ServersFixture servers)
{
    private static readonly DateTimeOffset Signal = new(2026, 11, 20, 15, 30, 0, TimeSpan.Zero);
    private static readonly DateOnly Day = DateOnly.FromDateTime(Signal.UtcDateTime);

    [Fact]
    public async Task Attribute_ARedeliveredSale_CountsOnce_AndTheTotalsKeepSumsAndSquares()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var store = backbone.Get<IAttributionStore>();
        var rule = Rule();
        var customer = "it/c#" + Guid.NewGuid().ToString("N")[..8]; // characters a table key cannot hold as they are
        var window = new AttributionWindow(rule, customer, AttributionGroup.Treated, Signal, Signal.AddDays(7));

        Assert.True(await store.OpenAsync(window, CancellationToken.None));
        var first = new SaleForAttribution("sale-1", Signal.AddDays(1), 30m, RedeemedRuleCoupon: true);
        Assert.Equal(window, await store.AttributeAsync(rule, customer, first, CancellationToken.None));
        Assert.Equal(window, await store.AttributeAsync(rule, customer, first, CancellationToken.None));
        Assert.Equal(window, await store.AttributeAsync(rule, customer, new SaleForAttribution("sale-2", Signal.AddDays(2), 12.5m, false), CancellationToken.None));

        var totals = Assert.Single(await store.ReadTotalsAsync([rule], Day, Day, CancellationToken.None));

        // One customer whose window total is 42.50: its square 1806.25 is what the interval is computed from.
        Assert.Equal(new AttributionTotals(rule, Day, AttributionGroup.Treated, 1, 2, 1, 42.5m, 1806.25m), totals);
    }

    [Fact]
    public async Task Open_ASecondSignalInsideTheWindow_OpensNothing_AfterItANewWindowCounts()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var store = backbone.Get<IAttributionStore>();
        var rule = Rule();

        Assert.True(await store.OpenAsync(new AttributionWindow(rule, "c-1", AttributionGroup.HeldOut, Signal, Signal.AddDays(7)), CancellationToken.None));
        Assert.False(await store.OpenAsync(new AttributionWindow(rule, "c-1", AttributionGroup.HeldOut, Signal.AddDays(3), Signal.AddDays(10)), CancellationToken.None));
        Assert.False(await store.OpenAsync(new AttributionWindow(rule, "c-1", AttributionGroup.HeldOut, Signal, Signal.AddDays(7)), CancellationToken.None));
        Assert.True(await store.OpenAsync(new AttributionWindow(rule, "c-1", AttributionGroup.HeldOut, Signal.AddDays(8), Signal.AddDays(15)), CancellationToken.None));

        // A sale before the current window started, or after it ended, is not the rule's.
        Assert.Null(await store.AttributeAsync(rule, "c-1", new SaleForAttribution("early", Signal.AddDays(2), 5m, false), CancellationToken.None));
        Assert.Null(await store.AttributeAsync(rule, "c-1", new SaleForAttribution("late", Signal.AddDays(15), 5m, false), CancellationToken.None));
        Assert.Null(await store.AttributeAsync(rule, "c-unknown", new SaleForAttribution("none", Signal.AddDays(9), 5m, false), CancellationToken.None));

        var totals = await store.ReadTotalsAsync([rule], Day, Day.AddDays(30), CancellationToken.None);
        Assert.Equal([(Day, 1L), (Day.AddDays(8), 1L)], totals.OrderBy(total => total.Day).Select(total => (total.Day, total.Customers)));
    }

    [Fact]
    public async Task OpenAndAttribute_ManyAtOnce_CountEveryCustomerAndSaleOnce()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var store = backbone.Get<IAttributionStore>();
        var rule = Rule();
        var customers = Enumerable.Range(0, 12).Select(index => $"c-{index}").ToList();

        // Every window opened twice and every sale delivered twice, all at the same time: one totals row takes them all.
        await Task.WhenAll(customers.Concat(customers).Select(customer =>
            store.OpenAsync(new AttributionWindow(rule, customer, AttributionGroup.HeldOut, Signal, Signal.AddDays(7)), CancellationToken.None)));
        await Task.WhenAll(customers.Concat(customers).Select(customer =>
            store.AttributeAsync(rule, customer, new SaleForAttribution("sale-" + customer, Signal.AddHours(5), 10m, false), CancellationToken.None)));

        var totals = Assert.Single(await store.ReadTotalsAsync([rule], Day, Day, CancellationToken.None));
        Assert.Equal((12L, 12L, 120m, 1200m), (totals.Customers, totals.Purchases, totals.Sales, totals.SalesSquares));
    }

    [Fact]
    public async Task SummaryRoute_ARuleWithAHoldout_ShowsBothGroupsAndTheUpliftWithItsInterval()
    {
        await using var host = await HttpBackbone.StartAsync(servers);
        var rule = Rule();
        await host.Backbone.Get<IRuleStore>().SaveAsync(
            new RemarketingRule(rule, "Uplift " + rule, true, 0, RemarketingSignal.GeofenceEntered, RuleConditions.Any, 500, [], new Offer(OfferKind.Percent, 10, 0, 24),
                new FrequencyCap(1, 7), null, HoldoutPercent: 20),
            null,
            CancellationToken.None);
        var store = host.Backbone.Get<IAttributionStore>();

        // Treated customers buy 10, 20 and 30 in their windows; held-out ones 0 and 10 (UpliftMathTests has the sums by hand).
        (string Customer, AttributionGroup Group, decimal Spent)[] people =
            [("t1", AttributionGroup.Treated, 10m), ("t2", AttributionGroup.Treated, 20m), ("t3", AttributionGroup.Treated, 30m), ("h1", AttributionGroup.HeldOut, 0m), ("h2", AttributionGroup.HeldOut, 10m)];
        foreach (var (customer, group, spent) in people)
        {
            await store.OpenAsync(new AttributionWindow(rule, customer, group, Signal, Signal.AddDays(7)), CancellationToken.None);
            if (spent > 0)
            {
                await store.AttributeAsync(rule, customer, new SaleForAttribution("sale-" + customer, Signal.AddDays(1), spent, false), CancellationToken.None);
            }
        }

        var summary = await host.Client.GetFromJsonAsync<JsonObject>("/api/insights/summary?from=2026-11-01&to=2026-11-30");

        var uplift = summary!["uplift"]!.AsArray().Single(entry => entry!["ruleId"]!.GetValue<string>() == rule)!;
        Assert.Equal((20, 3L, 2L), (uplift["holdoutPercent"]!.GetValue<int>(), uplift["treated"]!["customers"]!.GetValue<long>(), uplift["heldOut"]!["customers"]!.GetValue<long>()));
        Assert.Equal((20.0, 5.0), (uplift["treated"]!["salesPerCustomer"]!.GetValue<double>(), uplift["heldOut"]!["salesPerCustomer"]!.GetValue<double>()));
        Assert.Equal(15, uplift["uplift"]!.GetValue<double>(), 9);
        Assert.Equal(0.030528, uplift["upliftLow"]!.GetValue<double>(), 5);
        Assert.Equal(29.969472, uplift["upliftHigh"]!.GetValue<double>(), 5);
    }

    private static string Rule() => "it-rule-" + Guid.NewGuid().ToString("N")[..8];
}
