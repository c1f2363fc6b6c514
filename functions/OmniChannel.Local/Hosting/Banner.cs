using OmniChannel.Core.Handoffs;
using OmniChannel.Core.Orders;

namespace OmniChannel.Local.Hosting;

/// <summary>What a person needs to know once the local host is up.</summary>
public static class Banner
{
    /// <summary>Where the price subscriber simulator listens, on the API's host and port.</summary>
    public const string SubscriberPath = "/local/subscribers";

    public static void Print(TextWriter output, ICollection<string> urls, LocalOptions options, LocalServerSet servers, LocalBootstrapper.Outcome bootstrap, HandoffOptions handoffs, BopisOptions pickup)
    {
        var keys = !options.HasKeys
            ? "not enforced (loopback; set OmniChannel:Local:CollectKey, StoreKey, ServiceKey, AdminKey to enforce)"
            : "enforced: send x-api-key";
        output.WriteLine();
        output.WriteLine("OmniChannel local host is running");
        foreach (var url in urls)
        {
            output.WriteLine($"  Console      {url.TrimEnd('/')}/   (open it in a browser: rules, pickup queue, insights)");
            output.WriteLine($"  API          {url.TrimEnd('/')}/api   (try {url.TrimEnd('/')}/api/health)");
        }

        output.WriteLine($"  API keys     {keys}");
        output.WriteLine($"  Cosmos DB    {servers.CosmosEndpoint} ({CosmosState(servers)})");
        output.WriteLine($"  Azurite      {AzuriteState(servers)}");
        output.WriteLine($"  Event log    durable in {Path.Combine(servers.DataDirectory, "eventlog")}; {bootstrap.EventsToReplay} event(s) to replay into Cosmos");
        output.WriteLine($"  Stores       {bootstrap.StoresSeeded} seeded");
        output.WriteLine($"  Subscribers  {bootstrap.SubscribersSeeded} price subscribers seeded, delivering to the simulator at {Banner.SubscriberPath} (GET it for a summary)");
        output.WriteLine($"  Hand-offs    notifications to {Target(handoffs.CustomerEngagement)}; refunds to {Target(handoffs.Payments)}");
        output.WriteLine($"  Pickup       {PickupTimings(pickup)}");
        output.WriteLine("  Simulate     dotnet run --project functions/OmniChannel.Local -- simulate");
        output.WriteLine("  Stop         Ctrl+C (stops the servers it started)");
        output.WriteLine();
    }

    /// <summary>
    /// What the host runs: the Cosmos server it starts keeps documents in memory and appends every write it
    /// acknowledges to its journal, which the next start replays; a server it reuses keeps its data its own way.
    /// </summary>
    internal static string CosmosState(LocalServerSet servers) => servers.CosmosProcessId is { } pid
        ? $"started, pid {pid}; in memory, every write journaled to {servers.CosmosJournalPath} and replayed on start; restarted if it exits"
        : "reused: the server already listening there keeps its own data";

    internal static string AzuriteState(LocalServerSet servers) => servers.AzuriteProcessId is { } pid
        ? $"started, pid {pid}; data in {servers.AzuriteDataDirectory}; restarted if it exits"
        : "reused: the Azurite already listening on its ports keeps its own data";

    /// <summary>The pickup workflow's clock, so a person knows why an order is overdue after two minutes (the Demo environment).</summary>
    internal static string PickupTimings(BopisOptions pickup) =>
        System.FormattableString.Invariant(
            $"pick within {Words(pickup.PickSla)}, unpicked orders cancelled {Words(pickup.UnpickedCancelAfter)} later, collect within {Words(pickup.PickupWindow)}{(pickup.PickSla < TimeSpan.FromMinutes(10) ? " (compressed for the simulated day: appsettings.Demo.json)" : string.Empty)}");

    private static string Words(TimeSpan span) =>
        span.TotalDays >= 1 && span.TotalDays % 1 == 0 ? System.FormattableString.Invariant($"{span.TotalDays:0} d")
        : span.TotalHours >= 1 && span.TotalHours % 1 == 0 ? System.FormattableString.Invariant($"{span.TotalHours:0} h")
        : span.TotalMinutes >= 1 && span.TotalMinutes % 1 == 0 ? System.FormattableString.Invariant($"{span.TotalMinutes:0} min")
        : System.FormattableString.Invariant($"{span.TotalSeconds:0} s");

    /// <summary>A receiver's endpoint (never its secret), or the simulator that stands in for it.</summary>
    private static string Target(HandoffReceiverOptions receiver) =>
        receiver.IsConfigured ? receiver.Endpoint!.ToString() : "the simulator (GET /api/local/orders/{id}/messages)";
}
