using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace OmniChannel.Simulation.Bopis;

/// <summary>The parsed command line of <c>simulate-bopis</c>; <see cref="TryParse"/> explains every bad argument in one sentence.</summary>
internal sealed record BopisLoadArguments(Uri Url, int Orders, int Concurrency, string Store, int PollMilliseconds, string? ApiKey)
{
    public const int MaxOrderTimeoutSeconds = 86_400;

    public const int MaxOrders = 1_000_000;

    public const int MaxConcurrency = 1_000;

    public const int MinPollMilliseconds = 10;

    public const int MaxPollMilliseconds = 60_000;

    /// <summary>Printed after the options by <c>--help</c>.</summary>
    public const string Epilogue = """
        Exit codes: 0 every order ended as planned and everything reconciles, 1 some orders did not end as planned (or
        the store could not be stocked), 2 bad arguments, 3 every order ended as planned but the stock or the refunds
        do not reconcile.
        """;

    private const string Description = """
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
        """;

    /// <summary>The <c>simulate-bopis</c> command: its description and options, as <c>--help</c> prints them.</summary>
    public static Command Command() => new("simulate-bopis", Description.ReplaceLineEndings(" "))
    {
        CommandLineOptions.Url("http://localhost:7071"),
        CommandLineOptions.Whole("--orders", "pickup orders to place, one unit each, two for short ones", 200, 1, MaxOrders),
        CommandLineOptions.Whole("--concurrency", "orders in flight at most, from placement to collected", 50, 1, MaxConcurrency),
        CommandLineOptions.Typed(
            "--store", "the pickup store, one that offers pickup", "id",
            // It goes into URL paths and event sources: a store id of the directory, like 0001.
            value => (value.Length is > 0 and <= 64 && value.All(character => char.IsAsciiLetterOrDigit(character) || character is '-' or '_'), value),
            value => $"Option '--store': '{value}' is not a store id (letters, digits, '-' and '_'), e.g. 0001.", () => "0001"),
        CommandLineOptions.Whole(
            "--poll-ms", "how often each order is read while waiting for it to move on, in ms; every read costs the backbone an order read and a workflow status read",
            150, MinPollMilliseconds, MaxPollMilliseconds),
        CommandLineOptions.Key("--api-key", "sent as the x-api-key header of every request"),
        Percent("--unpicked", "percent of the orders never picked, so the backbone cancels them"),
        Percent("--short", "percent of the orders of 2 units picked 1 unit short, then collected"),
        Percent("--no-show", "percent of the orders picked but never collected, so the backbone expires them"),
        CommandLineOptions.Whole("--order-timeout", "seconds an order may take from placement to its final state", 300, 1, MaxOrderTimeoutSeconds),
        CommandLineOptions.Choice(
            "--short-units", "missing: a short pick's missing units leave on hand, found missing (as the partial pick books them); released: they stay on hand, only their hold released",
            "missing", "missing", "released"),
        CommandLineOptions.Choice(
            "--refunds", "local: reconcile the refunds from the local host's payment simulator; off: a backbone without /api/local (Azure)", "local", "local", "off"),
    };

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

    /// <summary>
    /// Parses the arguments. False when the command is done: the help or the errors went to <paramref name="output"/>,
    /// and <paramref name="exit"/> is its exit code.
    /// </summary>
    public static bool TryParse(IReadOnlyList<string> args, TextWriter output, [NotNullWhen(true)] out BopisLoadArguments? parsed, out int exit) =>
        CommandLineOptions.TryParse(Command(), args, output, Epilogue, result =>
        {
            var arguments = new BopisLoadArguments(
                new Uri(result.GetRequiredValue<string>("--url")), result.GetValue<int>("--orders"), result.GetValue<int>("--concurrency"),
                result.GetRequiredValue<string>("--store"), result.GetValue<int>("--poll-ms"), result.GetValue<string?>("--api-key"))
            {
                UnpickedPercent = result.GetValue<decimal>("--unpicked"),
                ShortPercent = result.GetValue<decimal>("--short"),
                NoShowPercent = result.GetValue<decimal>("--no-show"),
                OrderTimeoutSeconds = result.GetValue<int>("--order-timeout"),
                ShortUnitsLeaveOnHand = result.GetValue<string>("--short-units") == "missing",
                CheckRefunds = result.GetValue<string>("--refunds") == "local",
            };
            return (arguments, SharesError(arguments));
        }, out parsed, out exit);

    private static Option<decimal> Percent(string name, string description) => CommandLineOptions.Typed(
        name, description + " (default 0)", "percent",
        value => (decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent) && percent <= 100m, percent),
        value => $"Option '{name}': '{value}' is not a percent from 0 to 100, e.g. 5 or 2.5.", () => 0m);

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
}
