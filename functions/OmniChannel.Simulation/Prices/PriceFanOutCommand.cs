using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OmniChannel.Simulation.Prices;

/// <summary>The options of <c>simulate-prices</c>.</summary>
public sealed record PriceFanOutArguments(string Url, int Subscribers, double TransientRate, IReadOnlyList<string> Modes, string? AdminKey, bool Keep, bool Help)
{
    public const string Usage = """
        simulate-prices: time price-change fan-outs against a running host.
        Registers N extra subscribers (scope all) at the host's subscriber simulator, each failing the given share of
        attempts transiently, then posts one price change per fan-out design and waits until each has finished.
          --url <base>            the host (default http://127.0.0.1:7071)
          --subscribers <n>       extra subscribers to register (default 5000)
          --transient <share>     share of delivery attempts that fail transiently (default 0.01)
          --modes <list>          fan-out designs to time, comma-separated: batched, perSubscriber (default both)
          --admin-key <key>       the host's admin key, when it enforces keys
          --keep true|false       keep the extra subscribers afterwards (default false: they are deleted)
        """;

    private static readonly string[] Names = ["url", "subscribers", "transient", "modes", "admin-key", "keep"];

    public static bool TryParse(IReadOnlyList<string> args, out PriceFanOutArguments arguments, out string? error)
    {
        var parsed = new PriceFanOutArguments("http://127.0.0.1:7071", 5000, 0.01, ["batched", "perSubscriber"], null, false, false);
        error = CommandLineOptions.Parse(args, Names, "--subscribers 5000", (name, value) =>
        {
            switch (name)
            {
                case "url" when Uri.TryCreate(value, UriKind.Absolute, out _):
                    parsed = parsed with { Url = value.TrimEnd('/') };
                    return null;
                case "subscribers" when int.TryParse(value, CultureInfo.InvariantCulture, out var count) && count is >= 0 and <= 100_000:
                    parsed = parsed with { Subscribers = count };
                    return null;
                case "transient" when double.TryParse(value, CultureInfo.InvariantCulture, out var rate) && rate is >= 0 and < 1:
                    parsed = parsed with { TransientRate = rate };
                    return null;
                case "modes" when value.Split(',').All(mode => mode is "batched" or "perSubscriber"):
                    parsed = parsed with { Modes = value.Split(',') };
                    return null;
                case "admin-key":
                    parsed = parsed with { AdminKey = value };
                    return null;
                case "keep" when bool.TryParse(value, out var keep):
                    parsed = parsed with { Keep = keep };
                    return null;
                default:
                    return $"Bad value '{value}' for --{name}.";
            }
        }, out var help);
        arguments = parsed with { Help = help };
        return error is null;
    }
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
        if (!PriceFanOutArguments.TryParse(args, out var arguments, out var error))
        {
            await output.WriteLineAsync($"simulate-prices: {error}\nRun 'simulate-prices --help' for the options.");
            return 2;
        }

        if (arguments.Help)
        {
            await output.WriteLineAsync(PriceFanOutArguments.Usage);
            return 0;
        }

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 64 };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(arguments.Url + "/"), Timeout = TimeSpan.FromSeconds(60) };
        if (arguments.AdminKey is not null)
        {
            client.DefaultRequestHeaders.Add("x-api-key", arguments.AdminKey);
        }

        var tag = DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);
        var ids = Enumerable.Range(1, arguments.Subscribers).Select(index => $"bench-{tag}-{index:D5}").ToList();
        var registering = Stopwatch.StartNew();
        await ForEachAsync(ids, async (id, token) =>
        {
            var endpoint = string.Create(CultureInfo.InvariantCulture, $"{arguments.Url}/local/subscribers/{id}?transient={arguments.TransientRate}");
            using var response = await client.PutAsJsonAsync($"api/prices/subscribers/{id}", new { kind = "pos", scope = "all", endpoint }, token);
            response.EnsureSuccessStatusCode();
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
