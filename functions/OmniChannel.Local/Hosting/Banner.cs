using OmniChannel.Core.Handoffs;

namespace OmniChannel.Local.Hosting;

/// <summary>What a person needs to know once the local host is up.</summary>
public static class Banner
{
    /// <summary>Where the price subscriber simulator listens, on the API's host and port.</summary>
    public const string SubscriberPath = "/local/subscribers";

    public static void Print(TextWriter output, ICollection<string> urls, LocalOptions options, LocalServerSet servers, LocalBootstrapper.Outcome bootstrap, HandoffOptions handoffs)
    {
        var keys = string.IsNullOrEmpty(options.ApiKey) && string.IsNullOrEmpty(options.AdminKey)
            ? "not enforced (loopback; set OmniChannel:Local:ApiKey to enforce)"
            : "enforced: send x-api-key";
        output.WriteLine();
        output.WriteLine("OmniChannel local host is running");
        foreach (var url in urls)
        {
            output.WriteLine($"  Console      {url.TrimEnd('/')}/   (open it in a browser: rules, pickup queue, insights)");
            output.WriteLine($"  API          {url.TrimEnd('/')}/api   (try {url.TrimEnd('/')}/api/health)");
        }

        output.WriteLine($"  API keys     {keys}");
        output.WriteLine($"  Cosmos DB    {servers.CosmosEndpoint} ({(servers.CosmosReused ? "reused" : "started")}, in memory; rebuilt from the event log on start)");
        output.WriteLine($"  Azurite      {(servers.AzuriteReused ? "reused" : "started")}; data in {Path.Combine(servers.DataDirectory, "azurite")}");
        output.WriteLine($"  Event log    durable in {Path.Combine(servers.DataDirectory, "eventlog")}; {bootstrap.EventsToReplay} event(s) to replay into Cosmos");
        output.WriteLine($"  Stores       {bootstrap.StoresSeeded} seeded");
        output.WriteLine($"  Subscribers  {bootstrap.SubscribersSeeded} price subscribers seeded, delivering to the simulator at {Banner.SubscriberPath} (GET it for a summary)");
        output.WriteLine($"  Hand-offs    notifications to {Target(handoffs.CustomerEngagement)}; refunds to {Target(handoffs.Payments)}");
        output.WriteLine("  Simulate     dotnet run --project functions/OmniChannel.Local -- simulate");
        output.WriteLine("  Stop         Ctrl+C (stops the servers it started)");
        output.WriteLine();
    }

    /// <summary>A receiver's endpoint (never its secret), or the simulator that stands in for it.</summary>
    private static string Target(HandoffReceiverOptions receiver) =>
        receiver.IsConfigured ? receiver.Endpoint!.ToString() : "the simulator (GET /api/local/orders/{id}/messages)";
}
