using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace OmniChannel.Simulation.Replay;

/// <summary>The parsed command line of <c>simulate</c>; <see cref="TryParse"/> explains every bad argument in one sentence that names the option and the value.</summary>
internal sealed partial record ReplayArguments(
    Uri Url,
    int Customers,
    int Seed,
    int Batch,
    int Concurrency,
    double Rate,
    long? MaxEvents,
    DateTimeOffset? Start,
    string? ApiKey)
{
    /// <summary>The event contract's limit on events per batched request (README, event contract).</summary>
    public const int MaxBatch = 500;

    public const int MaxConcurrency = 1_000;

    /// <summary>Printed after the options by <c>--help</c>.</summary>
    public const string Epilogue = "Exit codes: 0 every event accepted (and the live part went as planned), 1 some events rejected or failed (or a live step did not), 2 bad arguments.";

    /// <summary>Whether the live part follows the day's events (<c>--live on</c>, the default).</summary>
    public bool Live { get; init; } = true;

    /// <summary>The <c>simulate</c> command: its description and options, as <c>--help</c> prints them.</summary>
    public static Command Command()
    {
        Option<string> url = CommandLineOptions.Url("http://localhost:7071");
        Option<int> customers = CommandLineOptions.Whole("--customers", "active customers of the day", 200, 1, 10_000_000);
        Option<int> seed = CommandLineOptions.Typed(
            "--seed", "random seed; the same seed and start give the same events", "n",
            value => (int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number), number),
            value => $"Option '--seed': '{value}' is not a whole number.", () => 1);
        Option<int> batch = CommandLineOptions.Whole(
            "--batch", "events per request, 1 to 500; 1 sends structured events", 50, 1, MaxBatch, " (the event contract allows at most 500 events per request)");
        Option<int> concurrency = CommandLineOptions.Whole("--concurrency", "requests in flight at most", 4, 1, MaxConcurrency);
        Option<double> rate = CommandLineOptions.Typed(
            "--rate", "target rate in events/s; 0 sends as fast as possible", "events/s",
            value => (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) && number >= 0, number),
            value => $"Option '--rate': '{value}' is not a number of events per second of 0 or more (0 = as fast as possible).", () => 0);
        Option<long?> maxEvents = CommandLineOptions.Typed<long?>(
            "--max-events", "stop after the first n events of the day (default: the whole day)", "n",
            value => (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var max) && max >= 1, max),
            value => $"Option '--max-events': '{value}' is not a whole number of 1 or more.");
        Option<DateTimeOffset?> start = CommandLineOptions.Typed<DateTimeOffset?>(
            "--start", "ISO 8601 start of the simulated day, e.g. 2026-11-25 or 2026-11-25T00:00:00Z (default yesterday 00:00 UTC, or the day before while yesterday's late sessions are still running)", "date-time",
            value => (TryParseIso(value, out var day), day),
            value => $"Option '--start': '{value}' is not an ISO 8601 date or date-time, e.g. 2026-11-25 or 2026-11-25T00:00:00Z.");
        Option<string?> apiKey = CommandLineOptions.Key("--api-key", "sent as the x-api-key header of every request");
        // A word, not a switch: a bool option would take "off" as a stray argument.
        Option<string> live = CommandLineOptions.Typed(
            "--live",
            "on: after the day's events, its live part: the pickup orders placed through POST /api/orders, picked and collected by the stores and customers, app users' coupons from the rules redeemed at the tills, a price markdown fanned out, and the workflows' results read back; off: the day's events only (pickup orders included as omni.order.placed events)",
            "on|off",
            value => (value is "on" or "off", value),
            value => $"Option '--live': '{value}' is neither 'on' (the day's live part after its events) nor 'off' (the events only).", () => "on");
        return new Command("simulate", "Replays a deterministic omni-channel retail day as CloudEvents against POST {url}/api/events.")
        {
            url, customers, seed, batch, concurrency, rate, maxEvents, start, apiKey, live,
        };
    }

    /// <summary>
    /// Parses the arguments; <see cref="Start"/> is null when <c>--start</c> is not given (the command then picks the last day that is over).
    /// False when the command is done: the help or the errors went to <paramref name="output"/>, and <paramref name="exit"/> is its exit code.
    /// </summary>
    public static bool TryParse(IReadOnlyList<string> args, TextWriter output, [NotNullWhen(true)] out ReplayArguments? parsed, out int exit) =>
        CommandLineOptions.TryParse(Command(), args, output, Epilogue, result => (new ReplayArguments(
            new Uri(result.GetRequiredValue<string>("--url")), result.GetValue<int>("--customers"), result.GetValue<int>("--seed"), result.GetValue<int>("--batch"),
            result.GetValue<int>("--concurrency"), result.GetValue<double>("--rate"), result.GetValue<long?>("--max-events"),
            result.GetValue<DateTimeOffset?>("--start"), result.GetValue<string?>("--api-key")) { Live = result.GetValue<string>("--live") == "on" }, (string?)null), out parsed, out exit);

    private static bool TryParseIso(string value, out DateTimeOffset start)
    {
        start = default;
        return IsoDateTime().IsMatch(value)
               && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out start);
    }

    // Only ISO 8601 forms: DateTimeOffset.TryParse alone would also take "11/25/2026" or "Tuesday".
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDateTime();
}
