using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace OmniChannel.Simulation.Bopis;

/// <summary>The parsed command line of <c>simulate-bopis</c>; <see cref="TryParse"/> explains every bad argument in one sentence.</summary>
internal sealed record BopisLoadArguments(Uri Url, int Orders, int Concurrency, string Store, int PollMilliseconds, string? ApiKey, bool Help)
{
    public const int MaxOrders = 1_000_000;

    public const int MaxConcurrency = 1_000;

    public const int MinPollMilliseconds = 10;

    public const int MaxPollMilliseconds = 60_000;

    public static readonly string Usage = """
        Usage: simulate-bopis [options]

        A load run of buy online, pick up in store against {url}/api: stocks the store with one unit per order of a
        run-unique SKU (one omni.inventory.adjusted event), places the pickup orders, and drives each one as the
        store and the customer would: wait for reserved, mark picked, wait for ready, mark collected, wait until
        collected with the workflow completed. Reports throughput, place->ready and place->collected latencies,
        and checks the stock at the end.

        Options:
          --url <url>            backbone base URL (default http://localhost:7071)
          --orders <n>           pickup orders to place, one unit each (default 200)
          --concurrency <n>      orders in flight at most, from placement to collected (default 50)
          --store <id>           the pickup store, one that offers pickup (default 0001)
          --poll-ms <ms>         how often each order is read while waiting for it to move on (default 150);
                                 every read costs the backbone an order read and a workflow status read
          --api-key <key>        sent as the x-api-key header of every request
          -h, --help             show this help

        Exit codes: 0 every order completed, 1 some orders failed (or the store could not be stocked), 2 bad arguments.
        """;

    private static readonly string[] Names = ["url", "orders", "concurrency", "store", "poll-ms", "api-key"];

    public static bool TryParse(IReadOnlyList<string> args, [NotNullWhen(true)] out BopisLoadArguments? parsed, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        parsed = new BopisLoadArguments(new Uri("http://localhost:7071"), 200, 50, "0001", 150, null, false);
        var result = parsed;
        error = CommandLineOptions.Parse(args, Names, "--orders 1000", (name, value) => Apply(ref result, name, value), out var help);
        parsed = help ? result with { Help = true } : result;
        if (error is not null)
        {
            parsed = null;
            return false;
        }

        return true;
    }

    private static string? Apply(ref BopisLoadArguments parsed, string name, string value)
    {
        switch (name)
        {
            case "url":
                if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
                {
                    return $"Option '--url': '{value}' is not an absolute http:// or https:// URL, e.g. http://localhost:7071.";
                }

                parsed = parsed with { Url = url };
                return null;
            case "orders":
                if (!TryWhole(value, 1, MaxOrders, out var orders))
                {
                    return WholeError(name, value, 1, MaxOrders);
                }

                parsed = parsed with { Orders = orders };
                return null;
            case "concurrency":
                if (!TryWhole(value, 1, MaxConcurrency, out var concurrency))
                {
                    return WholeError(name, value, 1, MaxConcurrency);
                }

                parsed = parsed with { Concurrency = concurrency };
                return null;
            case "store":
                // It goes into URL paths and event sources: a store id of the directory, like 0001.
                if (value.Length is 0 or > 64 || !value.All(character => char.IsAsciiLetterOrDigit(character) || character is '-' or '_'))
                {
                    return $"Option '--store': '{value}' is not a store id (letters, digits, '-' and '_'), e.g. 0001.";
                }

                parsed = parsed with { Store = value };
                return null;
            case "poll-ms":
                if (!TryWhole(value, MinPollMilliseconds, MaxPollMilliseconds, out var poll))
                {
                    return WholeError(name, value, MinPollMilliseconds, MaxPollMilliseconds);
                }

                parsed = parsed with { PollMilliseconds = poll };
                return null;
            case "api-key":
                if (string.IsNullOrWhiteSpace(value))
                {
                    return "Option '--api-key' needs a non-empty key.";
                }

                parsed = parsed with { ApiKey = value };
                return null;
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "Not an option of simulate-bopis.");
        }
    }

    private static bool TryWhole(string value, int min, int max, out int result) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result) && result >= min && result <= max;

    private static string WholeError(string name, string value, int min, int max) =>
        string.Create(CultureInfo.InvariantCulture, $"Option '--{name}': '{value}' is not a whole number from {min:N0} to {max:N0}.");
}
