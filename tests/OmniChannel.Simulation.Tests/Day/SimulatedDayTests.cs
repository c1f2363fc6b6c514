using System.Globalization;
using System.Text.Json.Nodes;
using OmniChannel.Core.Events;
using OmniChannel.Core.Stores;
using OmniChannel.Simulation.Day;
using OmniChannel.Simulation.Tests.Replay;

namespace OmniChannel.Simulation.Tests.Day;

/// <summary>The day `simulate` sends: stocked before it sells, its pickup orders set aside for the orders API, and the plan of how each goes.</summary>
public sealed class SimulatedDayTests
{
    private static OmniDaySimulator Day(bool stock, bool pickupThroughApi, int customers = 400) =>
        new(new SimulationOptions(5, customers, StoreSeed.Generate(), TestDay.Start) { StockBeforeSelling = stock, PickupOrdersThroughApi = pickupThroughApi });

    [Fact]
    public void StockBeforeSelling_EveryStoreReceivesWhatItSellsBeforeItsFirstSale()
    {
        var events = Day(stock: true, pickupThroughApi: false).Generate().ToList();

        var delivered = new Dictionary<(string, string), int>();
        var sold = new Dictionary<(string, string), int>();
        var firstSale = DateTimeOffset.MaxValue;
        var lastOpeningDelivery = DateTimeOffset.MinValue;
        foreach (var cloudEvent in events)
        {
            var data = (JsonObject)cloudEvent["data"]!;
            var time = DateTimeOffset.Parse((string)cloudEvent["time"]!, CultureInfo.InvariantCulture);
            if ((string?)cloudEvent["type"] == EventTypes.InventoryAdjusted && (string?)data["reason"] == "delivery" && time < TestDay.Start.AddHours(5))
            {
                var key = ((string)data["storeid"]!, (string)data["sku"]!);
                delivered[key] = delivered.GetValueOrDefault(key) + (int)data["delta"]!;
                lastOpeningDelivery = time > lastOpeningDelivery ? time : lastOpeningDelivery;
            }
            else if ((string?)cloudEvent["type"] == EventTypes.PosSale || OmniDaySimulator.IsPickupOrder(cloudEvent))
            {
                firstSale = time < firstSale ? time : firstSale;
                foreach (var line in ((JsonArray)data["lines"]!).OfType<JsonObject>())
                {
                    var key = ((string)data["storeid"]!, (string)line["sku"]!);
                    sold[key] = sold.GetValueOrDefault(key) + (int)line["quantity"]!;
                }
            }
        }

        Assert.NotEmpty(sold);
        Assert.All(sold, pair => Assert.True(delivered.GetValueOrDefault(pair.Key) >= pair.Value + 6, $"{pair.Key}: sold {pair.Value}, delivered {delivered.GetValueOrDefault(pair.Key)}"));
        Assert.True(lastOpeningDelivery < TestDay.Start.AddHours(5));
    }

    [Fact]
    public void WithoutStockBeforeSelling_TheDayIsAsBefore()
    {
        var plain = TestDay.Ids(Day(stock: false, pickupThroughApi: false).Generate());
        var stocked = TestDay.Ids(Day(stock: true, pickupThroughApi: false).Generate());

        Assert.Equal(plain.Count + stocked.Except(plain).Count(), stocked.Count);
        Assert.Empty(plain.Except(stocked));
    }

    [Fact]
    public void PickupOrdersThroughApi_TheyLeaveTheEventStream_AndPickupOrdersHasEachOfThem()
    {
        var all = Day(stock: true, pickupThroughApi: false).Generate().ToList();
        var day = Day(stock: true, pickupThroughApi: true);

        var events = day.Generate().ToList();
        var pickups = day.PickupOrders().ToList();

        Assert.NotEmpty(pickups);
        Assert.DoesNotContain(events, OmniDaySimulator.IsPickupOrder);
        Assert.All(pickups, order => Assert.Equal("pickup", (string?)order["data"]!["fulfilment"]));
        Assert.Equal(TestDay.Ids(all).Order(StringComparer.Ordinal), TestDay.Ids(events).Concat(TestDay.Ids(pickups)).Order(StringComparer.Ordinal));
        Assert.All(pickups, order => Assert.False(string.IsNullOrEmpty((string?)order["customerid"]), "a pickup order is placed signed in"));
    }

    [Fact]
    public void TheDaysSales_CarryNoMadeUpCouponCodes()
    {
        var sales = Day(stock: false, pickupThroughApi: false).Generate().Where(cloudEvent => (string?)cloudEvent["type"] == EventTypes.PosSale).ToList();

        Assert.NotEmpty(sales);
        Assert.All(sales, sale => Assert.Null(sale["data"]!["couponcode"]));
    }

    [Fact]
    public void PickupPlan_DrawsTheSharesTheReadmeStates_TheSameForTheSameOrder()
    {
        var plans = Enumerable.Range(0, 20_000).Select(index => PickupPlan.For($"ORD-{index:D6}")).ToList();

        double Share(Func<PickupPlan, bool> which) => plans.Count(which) * 100.0 / plans.Count;
        Assert.InRange(Share(plan => plan.Pick == PickPlan.InFull), 78, 82);
        Assert.InRange(Share(plan => plan.Pick == PickPlan.Short), 7, 9);
        Assert.InRange(Share(plan => plan.Pick == PickPlan.Late), 6, 8);
        Assert.InRange(Share(plan => plan.Pick == PickPlan.Never), 4, 6);
        Assert.InRange(Share(plan => plan.Collect == CollectPlan.Collects), 68, 72);
        Assert.InRange(Share(plan => plan.Collect == CollectPlan.ArrivesFirst), 18, 22);
        Assert.InRange(Share(plan => plan.Collect == CollectPlan.NoShow), 8, 12);
        Assert.Equal(PickupPlan.For("ORD-000042"), PickupPlan.For("ORD-000042"));
    }

    [Fact]
    public void PickupPlan_TheBusiestStoresOrders_GoEveryWayInTurn()
    {
        var plans = Enumerable.Range(0, 5).Select(PickupPlan.Busiest).ToList();

        Assert.Equal([PickPlan.Never, PickPlan.InFull, PickPlan.Late, PickPlan.Short, PickPlan.InFull], plans.Select(plan => plan.Pick));
        Assert.Contains(plans, plan => plan.Pick != PickPlan.Never && plan.Collect == CollectPlan.NoShow);
        Assert.Contains(plans, plan => plan.Collect == CollectPlan.ArrivesFirst);
        Assert.Equal(PickupPlan.Busiest(0), PickupPlan.Busiest(5));
    }
}
