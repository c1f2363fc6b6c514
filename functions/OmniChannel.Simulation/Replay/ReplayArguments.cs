using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace OmniChannel.Simulation.Replay;

/// <summary>The parsed command line of <c>simulate</c>; <see cref="TryParse"/> explains every bad argument in one sentence.</summary>
internal sealed partial record ReplayArguments(
    Uri Url,
    int Customers,
    int Seed,
    int Batch,
    int Concurrency,
    double Rate,
    long? MaxEvents,
    DateTimeOffset Start,
    string? ApiKey,
    bool Help)
{
    /// <summary>The event contract's limit on events per batched request (README, event contract).</summary>
    public const int MaxBatch = 500;

    public const int MaxConcurrency = 1_000;

    public static readonly string Usage = """
        Usage: simulate [options]

        Replays a deterministic omni-channel retail day as CloudEvents against POST {url}/api/events.

        Options:
          --url <url>            backbone base URL (default http://localhost:7071)
          --customers <n>        active customers of the day (default 200)
          --seed <n>             random seed; the same seed and start give the same events (default 1)
          --batch <n>            events per request, 1 to 500; 1 sends structured events (default 50)
          --concurrency <n>      requests in flight at most (default 4)
          --rate <events/s>      target rate; 0 sends as fast as possible (default 0)
          --max-events <n>       stop after the first n events of the day (default: the whole day)
          --start <date-time>    ISO 8601 start of the simulated day, e.g. 2026-11-25 or 2026-11-25T00:00:00Z
                                 (default yesterday 00:00 UTC)
          --api-key <key>        sent as the x-api-key header of every request
          --live <on|off>        on (default): after the day's events, its live part: the pickup orders placed
                                 through POST /api/orders, picked and collected by the stores and customers, app
                                 users' coupons from the rules redeemed at the tills, a price markdown fanned out,
                                 and the workflows' results read back; off: the day's events only (pickup orders
                                 included as omni.order.placed events)
          -h, --help             show this help

        Exit codes: 0 every event accepted (and the live part went as planned), 1 some events rejected or failed (or a
        live step did not), 2 bad arguments.
        """;

    private static readonly string[] Names = ["url", "customers", "seed", "batch", "concurrency", "rate", "max-events", "start", "api-key", "live"];

    /// <summary>Whether the live part follows the day's events (<c>--live on</c>, the default).</summary>
    public bool Live { get; init; } = true;

    /// <summary>Parses the arguments; <paramref name="defaultStart"/> is the default start (yesterday 00:00 UTC in production).</summary>
    public static bool TryParse(IReadOnlyList<string> args, DateTimeOffset defaultStart, [NotNullWhen(true)] out ReplayArguments? parsed, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        parsed = new ReplayArguments(new Uri("http://localhost:7071"), 200, 1, 50, 4, 0, null, defaultStart, null, false);
        var result = parsed;
        error = CommandLineOptions.Parse(args, Names, "--customers 500", (name, value) => Apply(ref result, name, value), out var help);
        parsed = help ? result with { Help = true } : result;
        if (error is not null)
        {
            parsed = null;
            return false;
        }

        return true;
    }

    private static string? Apply(ref ReplayArguments parsed, string name, string value)
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
            case "customers":
                if (!TryWhole(value, 1, 10_000_000, out var customers))
                {
                    return WholeError(name, value, 1, 10_000_000);
                }

                parsed = parsed with { Customers = customers };
                return null;
            case "seed":
                if (!TryWhole(value, int.MinValue, int.MaxValue, out var seed))
                {
                    return $"Option '--seed': '{value}' is not a whole number.";
                }

                parsed = parsed with { Seed = seed };
                return null;
            case "batch":
                if (!TryWhole(value, 1, MaxBatch, out var batch))
                {
                    return WholeError(name, value, 1, MaxBatch, " (the event contract allows at most 500 events per request)");
                }

                parsed = parsed with { Batch = batch };
                return null;
            case "concurrency":
                if (!TryWhole(value, 1, MaxConcurrency, out var concurrency))
                {
                    return WholeError(name, value, 1, MaxConcurrency);
                }

                parsed = parsed with { Concurrency = concurrency };
                return null;
            case "rate":
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) || !double.IsFinite(rate) || rate < 0)
                {
                    return $"Option '--rate': '{value}' is not a number of events per second of 0 or more (0 = as fast as possible).";
                }

                parsed = parsed with { Rate = rate };
                return null;
            case "max-events":
                if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var max) || max < 1)
                {
                    return $"Option '--max-events': '{value}' is not a whole number of 1 or more.";
                }

                parsed = parsed with { MaxEvents = max };
                return null;
            case "start":
                if (!IsoDateTime().IsMatch(value)
                    || !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var start))
                {
                    return $"Option '--start': '{value}' is not an ISO 8601 date or date-time, e.g. 2026-11-25 or 2026-11-25T00:00:00Z.";
                }

                parsed = parsed with { Start = start };
                return null;
            case "api-key":
                if (string.IsNullOrWhiteSpace(value))
                {
                    return "Option '--api-key' needs a non-empty key.";
                }

                parsed = parsed with { ApiKey = value };
                return null;
            case "live":
                if (value is not ("on" or "off"))
                {
                    return $"Option '--live': '{value}' is neither 'on' (the day's live part after its events) nor 'off' (the events only).";
                }

                parsed = parsed with { Live = value == "on" };
                return null;
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "Not an option of simulate.");
        }
    }

    private static bool TryWhole(string value, int min, int max, out int result) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result) && result >= min && result <= max;

    private static string WholeError(string name, string value, int min, int max, string why = "") =>
        string.Create(CultureInfo.InvariantCulture, $"Option '--{name}': '{value}' is not a whole number from {min:N0} to {max:N0}{why}.");

    // Only ISO 8601 forms: DateTimeOffset.TryParse alone would also take "11/25/2026" or "Tuesday".
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDateTime();
}
