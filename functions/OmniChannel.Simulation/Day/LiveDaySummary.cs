using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace OmniChannel.Simulation.Day;

public enum PickupStep
{
    Placed,
    NotPlaced,
    Rejected,
    Picked,
    PickedShort,
    PickedLate,
    LeftUnpicked,
    Arrived,
    Collected,
    NoShow,

    /// <summary>An order an earlier run of the same day had already taken further (simulate run twice).</summary>
    FromEarlierRun,

    /// <summary>The backbone did not answer as expected in time; the problem says how.</summary>
    Stuck,
}

/// <summary>What the live part did, as it counted it, and the backbone's own figures read back from its insights.</summary>
public sealed class LiveDaySummary
{
    private readonly ConcurrentDictionary<PickupStep, int> _pickup = new();

    public ConcurrentQueue<string> Problems { get; } = new();

    /// <summary>The customers with a pickup order in the day.</summary>
    public IReadOnlySet<string> PickupCustomers { get; set; } = new HashSet<string>();

    /// <summary>The customers whose pickup order the day leaves open (never picked, or never collected), with the order.</summary>
    public ConcurrentDictionary<string, string> OpenOrderCustomers { get; } = new(StringComparer.Ordinal);

    /// <summary>The store with the most pickup orders, and how many.</summary>
    public (string StoreId, int Orders)? BusiestStore { get; set; }

    /// <summary>A customer who got a coupon (one with a pickup order still open, else one with an order, when there is one), and their phone: to look up in the console.</summary>
    public (string CustomerId, string DeviceId) SampleCustomer { get; set; }

    public int Walkers { get; set; }

    public int CouponsIssued { get; set; }

    public int CouponsRedeemedAtTill { get; set; }

    public int CouponsRedeemedOffline { get; set; }

    /// <summary>Why no coupon could be given, when none could.</summary>
    public string? CouponNote { get; set; }

    public (int Total, int Delivered, int Failed) PriceDeliveries { get; set; }

    public string? PriceNote { get; set; }

    /// <summary><c>GET /api/insights/summary</c> from the replayed day to today, after the live part.</summary>
    public JsonElement? Insights { get; set; }

    public int this[PickupStep step] => _pickup.GetValueOrDefault(step);

    public void Count(PickupStep step, string? problem = null)
    {
        _pickup.AddOrUpdate(step, 1, (_, count) => count + 1);
        if (problem is not null)
        {
            Problems.Enqueue(problem);
        }
    }

    /// <summary>Whether every step went as the backbone should make it go (rejections for stock that ran out are trading, not failures).</summary>
    public bool Succeeded => this[PickupStep.NotPlaced] == 0 && this[PickupStep.Stuck] == 0 && PriceNote is null && PriceDeliveries.Failed == 0;

    public string PickupLine() => string.Create(CultureInfo.InvariantCulture,
        $"  pickup: {this[PickupStep.Placed]} orders placed{NotPlaced()} ({this[PickupStep.Rejected]} refused for stock); picked {this[PickupStep.Picked] + this[PickupStep.PickedShort]} ({this[PickupStep.PickedShort]} short, {this[PickupStep.PickedLate]} after the pick deadline), {this[PickupStep.LeftUnpicked]} left unpicked; collected {this[PickupStep.Collected]} ({this[PickupStep.Arrived]} said \"I'm here\" first), {this[PickupStep.NoShow]} never came{Earlier()}{Stuck()}");

    public string CouponLine() => CouponNote is not null
        ? "  coupons: " + CouponNote
        : string.Create(CultureInfo.InvariantCulture,
            $"  coupons: {Walkers} app users walked near a store; {CouponsIssued} got a coupon; {CouponsRedeemedAtTill} redeemed at a till online (validate, redeem), {CouponsRedeemedOffline} at an offline till (the sale event)");

    public string PriceLine() => PriceNote is not null && PriceDeliveries.Total == 0
        ? "  prices: " + PriceNote
        : string.Create(CultureInfo.InvariantCulture,
            $"  prices: a markdown of the 5 best sellers: {PriceDeliveries.Delivered} of {PriceDeliveries.Total} subscribers delivered, {PriceDeliveries.Failed} failed{(PriceNote is null ? string.Empty : "; " + PriceNote)}");

    /// <summary>The backbone's figures, from its insights (what the console's Insights page shows).</summary>
    public string InsightsLines()
    {
        if (Insights is not { } insights)
        {
            return "The backbone's insights could not be read.";
        }

        var pickup = insights.GetProperty("pickup");
        var coupons = insights.GetProperty("coupons");
        var prices = insights.GetProperty("prices");
        var text = new StringBuilder("The backbone's insights (the replayed day to today; the console's Insights page):\n");
        text.Append(CultureInfo.InvariantCulture, $"  pickup orders ready {pickup.GetProperty("ordersReady").GetInt64()}, collected {pickup.GetProperty("collected").GetInt64()}, no-shows {pickup.GetProperty("noShows").GetInt64()}\n");
        text.Append(CultureInfo.InvariantCulture, $"  coupons issued {coupons.GetProperty("issued").GetInt64()}, redeemed {coupons.GetProperty("redeemed").GetInt64()}\n");
        text.Append(CultureInfo.InvariantCulture, $"  price changes {prices.GetProperty("changes").GetInt64()}, deliveries {prices.GetProperty("deliveriesSucceeded").GetInt64()} succeeded, {prices.GetProperty("deliveriesFailed").GetInt64()} failed\n");
        text.Append(CultureInfo.InvariantCulture, $"  events ingested {insights.GetProperty("events").GetProperty("events").GetInt64()}");
        return text.ToString();
    }

    /// <summary>Where to look in the console after the day.</summary>
    public string ConsoleLines(Uri url)
    {
        var console = url.AbsoluteUri.TrimEnd('/');
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"See it in the console, {console}/:\n  Insights   {console}/insights\n");
        if (BusiestStore is { } busiest)
        {
            text.Append(CultureInfo.InvariantCulture, $"  Pickup     {console}/pickup/{busiest.StoreId}   (the busiest pickup store: {busiest.Orders} orders; unpicked and uncollected ones end on the backbone's timers)\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"  Rules      {console}/rules   (coupons issued and redeemed per rule)");
        if (SampleCustomer.DeviceId is { } device)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  Customers  {console}/customers?identifier=device%3A{Uri.EscapeDataString(device)}   (customer {SampleCustomer.CustomerId}, found by their phone's device id)");
        }

        return text.ToString();
    }

    private string NotPlaced() => this[PickupStep.NotPlaced] > 0
        ? string.Create(CultureInfo.InvariantCulture, $", {this[PickupStep.NotPlaced]} refused by the orders API: {string.Join("; ", Problems.Where(problem => problem.Contains(": 4", StringComparison.Ordinal) || problem.Contains(": 5", StringComparison.Ordinal)).Take(2))}")
        : string.Empty;

    private string Earlier() => this[PickupStep.FromEarlierRun] > 0
        ? string.Create(CultureInfo.InvariantCulture, $"; {this[PickupStep.FromEarlierRun]} already moved on by an earlier run of this day")
        : string.Empty;

    private string Stuck() => this[PickupStep.Stuck] > 0
        ? string.Create(CultureInfo.InvariantCulture, $"; {this[PickupStep.Stuck]} did not move on in time: {string.Join("; ", Problems.Take(3))}")
        : string.Empty;
}
