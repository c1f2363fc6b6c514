using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace OmniChannel.Simulation.Bopis;

/// <summary>The parsed command line of <c>simulate-bopis</c>; <see cref="TryParse"/> explains every bad argument in one sentence.</summary>
internal sealed record BopisLoadArguments(Uri Url, int Orders, int Concurrency, string Store, int PollMilliseconds, string? ApiKey, bool Help)
{
    public const int MaxOrderTimeoutSeconds = 86_400;

    public const int MaxOrders = 1_000_000;

    public const int MaxConcurrency = 1_000;

    public const int MinPollMilliseconds = 10;

    public const int MaxPollMilliseconds = 60_000;

    public static readonly string Usage = """
        Usage: simulate-bopis [options]

        A load run of buy online, pick up in store against {url}/api: stocks the store with every unit the orders ask
        for of a run-unique SKU at 12.34 (one omni.inventory.adjusted event), places the pickup orders, and drives each
        one as the store and the customer would: wait for reserved, mark picked, wait for ready, mark collected, wait
        until collected with the workflow completed. A share of the orders can be given another outcome (picked from
        the run tag, the same tag the same orders): never picked (the backbone cancels them), ordered 2 and picked 1
        short (a refund of one unit, then collected), or picked and never collected (the backbone expires them).
        Reports throughput, place->ready and place->collected latencies, and reconciles at the end: every order in
        its final state, the stock to the unit, each order's refunds to the cent (read from the local host's payment
        simulator, GET /api/local/orders/{id}/messages). Unpicked and no-show orders end only once the backbone's
        timers fire: start the local host with short ones (see the README) and allow --order-timeout for them.

        Options:
          --url <url>            backbone base URL (default http://localhost:7071)
          --orders <n>           pickup orders to place, one unit each, two for short ones (default 200)
          --concurrency <n>      orders in flight at most, from placement to collected (default 50)
          --store <id>           the pickup store, one that offers pickup (default 0001)
          --poll-ms <ms>         how often each order is read while waiting for it to move on (default 150);
                                 every read costs the backbone an order read and a workflow status read
          --api-key <key>        sent as the x-api-key header of every request
          --unpicked <percent>   orders never picked, so the backbone cancels them (default 0)
          --short <percent>      orders of 2 units picked 1 unit short, then collected (default 0)
          --no-show <percent>    orders picked but never collected, so the backbone expires them (default 0)
          --order-timeout <s>    seconds an order may take from placement to its final state (default 300)
          --short-units <how>    missing: a short pick's missing units leave on hand, found missing (default, as the
                                 partial pick books them); released: they stay on hand, only their hold released
          --refunds <check>      local: reconcile the refunds from the local host's payment simulator (default);
                                 off: a backbone without /api/local (Azure)
          -h, --help             show this help

        Exit codes: 0 every order ended as planned and everything reconciles, 1 some orders did not end as planned (or
        the store could not be stocked), 2 bad arguments, 3 every order ended as planned but the stock or the refunds
        do not reconcile.
        """;

    private static readonly string[] Names = ["url", "orders", "concurrency", "store", "poll-ms", "api-key", "unpicked", "short", "no-show", "order-timeout", "short-units", "refunds"];

    /// <summary>Percent of the orders never picked.</summary>
    public decimal UnpickedPercent { get; init; }

    /// <summary>Percent of the orders picked one unit short.</summary>
    public decimal ShortPercent { get; init; }

    /// <summary>Percent of the orders never collected.</summary>
    public decimal NoShowPercent { get; init; }

    public int OrderTimeoutSeconds { get; init; } = 300;

    /// <summary>Whether a short pick's missing units are expected to leave on-hand (<c>--short-units missing</c>, the default).</summary>
    public bool ShortUnitsLeaveOnHand { get; init; } = true;

    public bool CheckRefunds { get; init; } = true;

    public static bool TryParse(IReadOnlyList<string> args, [NotNullWhen(true)] out BopisLoadArguments? parsed, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        parsed = new BopisLoadArguments(new Uri("http://localhost:7071"), 200, 50, "0001", 150, null, false);
        var result = parsed;
        error = CommandLineOptions.Parse(args, Names, "--orders 1000", (name, value) => Apply(ref result, name, value), out var help);
        parsed = help ? result with { Help = true } : result;
        error ??= SharesError(parsed);
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
            case "unpicked" or "short" or "no-show":
                if (!decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent) || percent > 100m)
                {
                    return $"Option '--{name}': '{value}' is not a percent from 0 to 100, e.g. 5 or 2.5.";
                }

                parsed = name switch
                {
                    "unpicked" => parsed with { UnpickedPercent = percent },
                    "short" => parsed with { ShortPercent = percent },
                    _ => parsed with { NoShowPercent = percent },
                };
                return null;
            case "order-timeout":
                if (!TryWhole(value, 1, MaxOrderTimeoutSeconds, out var timeout))
                {
                    return WholeError(name, value, 1, MaxOrderTimeoutSeconds);
                }

                parsed = parsed with { OrderTimeoutSeconds = timeout };
                return null;
            case "short-units":
                if (value is not ("released" or "missing"))
                {
                    return $"Option '--short-units': '{value}' is neither 'released' nor 'missing'.";
                }

                parsed = parsed with { ShortUnitsLeaveOnHand = value == "missing" };
                return null;
            case "refunds":
                if (value is not ("local" or "off"))
                {
                    return $"Option '--refunds': '{value}' is neither 'local' nor 'off'.";
                }

                parsed = parsed with { CheckRefunds = value == "local" };
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

    /// <summary>The unpicked, short and no-show orders, each share rounded to whole orders, must fit in the run.</summary>
    private static string? SharesError(BopisLoadArguments parsed)
    {
        var shares = BopisOutcomePlan.CountOf(parsed.UnpickedPercent, parsed.Orders) + BopisOutcomePlan.CountOf(parsed.ShortPercent, parsed.Orders)
                     + BopisOutcomePlan.CountOf(parsed.NoShowPercent, parsed.Orders);
        return shares <= parsed.Orders
            ? null
            : string.Create(CultureInfo.InvariantCulture,
                $"Options '--unpicked', '--short' and '--no-show' come to {shares:N0} orders, more than the {parsed.Orders:N0} of '--orders'.");
    }

    private static bool TryWhole(string value, int min, int max, out int result) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result) && result >= min && result <= max;

    private static string WholeError(string name, string value, int min, int max) =>
        string.Create(CultureInfo.InvariantCulture, $"Option '--{name}': '{value}' is not a whole number from {min:N0} to {max:N0}.");
}
