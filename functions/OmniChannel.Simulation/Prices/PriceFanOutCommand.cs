using System.CommandLine;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using OmniChannel.Simulation.Subscribers;

namespace OmniChannel.Simulation.Prices;

/// <summary>The options of <c>simulate-prices</c>.</summary>
public sealed record PriceFanOutArguments(string Url, int Subscribers, double TransientRate, IReadOnlyList<string> Modes, string? AdminKey, bool Keep, int SimulatorPort = 0)
{
    /// <summary>The <c>simulate-prices</c> command: its description and options, as <c>--help</c> prints them.</summary>
    public static Command Command() => new("simulate-prices", """
        Times price-change fan-outs against a running host: registers N extra subscribers (scope all) at the host's
        subscriber simulator, each failing the given share of attempts transiently, then posts one price change per
        fan-out design and waits until each has finished.
        """.ReplaceLineEndings(" "))
    {
        CommandLineOptions.Url("http://127.0.0.1:7071", trimmed: true),
        CommandLineOptions.Whole("--subscribers", "extra subscribers to register", 5000, 0, 100_000),
        CommandLineOptions.Typed(
            "--transient", "share of delivery attempts that fail transiently, from 0 up to (not including) 1", "share",
            value => (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && rate is >= 0 and < 1, rate),
            value => $"Option '--transient': '{value}' is not a share from 0 up to 1 (not included), e.g. 0.01.", () => 0.01),
        CommandLineOptions.Typed<IReadOnlyList<string>>(
            "--modes", "fan-out designs to time, comma-separated: batched, perSubscriber (default both)", "list",
            value => (value.Split(',').All(mode => mode is "batched" or "perSubscriber"), value.Split(',')),
            value => $"Option '--modes': '{value}' is not a comma-separated list of 'batched' and 'perSubscriber'.", () => ["batched", "perSubscriber"]),
        new Option<string?>("--admin-key") { Description = "the host's admin key, when it enforces keys", HelpName = "key" },
        // A word, not a bool option: "--keep maybe" is then named as a bad value of --keep, not as a stray argument.
        CommandLineOptions.Choice("--keep", "keep the extra subscribers afterwards (false: they are deleted)", "false", "true", "false"),
        CommandLineOptions.Whole(
            "--simulator-port", "serve the extra subscribers from this command's own process on this loopback port, so their checks do not share the host's CPU (0: the host's simulator)",
            0, 0, 65535),
    };

    /// <summary>
    /// Parses the arguments. False when the command is done: the help or the errors went to <paramref name="output"/>,
    /// and <paramref name="exit"/> is its exit code.
    /// </summary>
    public static bool TryParse(IReadOnlyList<string> args, TextWriter output, [NotNullWhen(true)] out PriceFanOutArguments? arguments, out int exit) =>
        CommandLineOptions.TryParse(Command(), args, output, null, result => (new PriceFanOutArguments(
            result.GetRequiredValue<string>("--url"), result.GetValue<int>("--subscribers"), result.GetValue<double>("--transient"),
            result.GetRequiredValue<IReadOnlyList<string>>("--modes"), result.GetValue<string?>("--admin-key"), result.GetValue<string>("--keep") == "true",
            result.GetValue<int>("--simulator-port")), null),
            out arguments, out exit);
}

/// <summary>One fan-out's figures.</summary>
public sealed record FanOutTiming(string Mode, int Total, int Delivered, int Failed, TimeSpan Elapsed, string? WorkflowStatus)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"  {Mode,-14} {Total,6:N0} subscribers  {Delivered,6:N0} delivered  {Failed,4:N0} failed  {Elapsed.TotalSeconds,7:0.0} s  ({(Elapsed.TotalSeconds > 0 ? Total / Elapsed.TotalSeconds : 0):N0}/s, workflow {WorkflowStatus})");
}

/// <summary>
/// The <c>simulate-prices</c> sub-command: registers subscribers at the host's simulator, posts a price change per
/// fan-out design, and times each from the POST to the end of its fan-out (every subscriber delivered or given up).
/// </summary>
public static class PriceFanOutCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!PriceFanOutArguments.TryParse(args, output, out var arguments, out var exit))
        {
            return exit;
        }

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 64 };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(arguments.Url + "/"), Timeout = TimeSpan.FromSeconds(60) };
        if (arguments.AdminKey is not null)
        {
            client.DefaultRequestHeaders.Add("x-api-key", arguments.AdminKey);
        }

        await using var ownSimulator = arguments.SimulatorPort > 0 ? await StandaloneSubscriberSimulator.StartAsync(arguments.SimulatorPort, cancellationToken) : null;
        var simulatorUrl = ownSimulator?.BaseUrl ?? arguments.Url + "/local/subscribers";
        var tag = DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);
        var ids = Enumerable.Range(1, arguments.Subscribers).Select(index => $"bench-{tag}-{index:D5}").ToList();
        var registering = Stopwatch.StartNew();
        await ForEachAsync(ids, async (id, token) =>
        {
            var endpoint = string.Create(CultureInfo.InvariantCulture, $"{simulatorUrl}/{id}?transient={arguments.TransientRate}");
            using var response = await client.PutAsJsonAsync($"api/prices/subscribers/{id}", new { kind = "pos", scope = "all", endpoint }, token);
            response.EnsureSuccessStatusCode();
            if (ownSimulator is not null)
            {
                // The secret is answered once, on creation (the ids are new each run): the own simulator verifies with it.
                var created = await response.Content.ReadFromJsonAsync<JsonElement>(token);
                ownSimulator.Add(id, created.GetProperty("secret").GetString()!);
            }
        }, cancellationToken);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Registered {ids.Count:N0} subscribers ({arguments.TransientRate:P1} of attempts fail transiently) in {registering.Elapsed.TotalSeconds:0.0} s; timing {string.Join(" and ", arguments.Modes)} against {arguments.Url}"));

        var timings = new List<FanOutTiming>();
        try
        {
            foreach (var mode in arguments.Modes)
            {
                timings.Add(await TimeFanOutAsync(client, $"bench-{tag}-{mode}", mode, cancellationToken));
                await output.WriteLineAsync(timings[^1].ToString());
            }

            if (ownSimulator?.Simulator.Summary() is { } summary)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"  own simulator at {ownSimulator.BaseUrl}: {summary.Delivered:N0} deliveries taken, {summary.Duplicates:N0} repeats, {summary.TransientFailures:N0} answered 503, {summary.BadSignatures:N0} bad signatures"));
            }
        }
        finally
        {
            if (!arguments.Keep)
            {
                await ForEachAsync(ids, async (id, token) => (await client.DeleteAsync($"api/prices/subscribers/{id}", token)).Dispose(), CancellationToken.None);
            }
        }

        return timings.All(timing => timing.Failed == 0 && timing.Delivered == timing.Total) ? 0 : 1;
    }

    private static async Task<FanOutTiming> TimeFanOutAsync(HttpClient client, string changeId, string mode, CancellationToken cancellationToken)
    {
        var change = new JsonObject
        {
            ["changeId"] = changeId,
            ["effectiveAt"] = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["items"] = new JsonArray(new JsonObject { ["sku"] = "BENCH-SKU", ["price"] = "9.99" }),
            ["fanOut"] = mode,
        };
        var clock = Stopwatch.StartNew();
        using (var posted = await client.PostAsJsonAsync("api/prices", change, cancellationToken))
        {
            posted.EnsureSuccessStatusCode();
        }

        while (true)
        {
            await Task.Delay(250, cancellationToken);
            var report = await client.GetFromJsonAsync<JsonElement>($"api/prices/changes/{changeId}?state=failed", cancellationToken);
            var status = report.GetProperty("workflowStatus").GetString();
            if (status is "Completed" or "Failed" or "Terminated")
            {
                var counts = report.GetProperty("counts");
                return new FanOutTiming(mode, counts.GetProperty("total").GetInt32(), counts.GetProperty("delivered").GetInt32(), counts.GetProperty("failed").GetInt32(), clock.Elapsed, status);
            }
        }
    }

    private static Task ForEachAsync(IEnumerable<string> ids, Func<string, CancellationToken, ValueTask> body, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, body);
}
