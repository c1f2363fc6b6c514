using System.Globalization;
using OmniChannel.Core.Stores;
using OmniChannel.Simulation.Day;

namespace OmniChannel.Simulation.Replay;

/// <summary>
/// The <c>simulate</c> sub-command: generates the day (<see cref="OmniDaySimulator"/> over <see cref="StoreSeed"/>'s
/// stores), replays it with <see cref="TrafficReplayer"/> behind a one-line progress bar and prints the summary.
/// </summary>
public static class ReplayCommand
{
    /// <summary>Exit code: every event was accepted (or the help was shown).</summary>
    public const int Success = 0;

    /// <summary>Exit code: some events were rejected or failed.</summary>
    public const int SomeEventsNotAccepted = 1;

    /// <summary>Exit code: the command line is wrong; nothing was sent.</summary>
    public const int BadArguments = 2;

    /// <summary>How far ahead of the server's clock an event's time may lie (the contract's default clock skew).</summary>
    private static readonly TimeSpan ContractClockSkew = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The command line of <c>simulate</c>: its description and options, as <c>--help</c> prints them.</summary>
    public static System.CommandLine.Command Command() => ReplayArguments.Command();

    /// <summary>
    /// Runs <c>simulate</c> with the arguments after the sub-command name. Cancelling <paramref name="cancellationToken"/>
    /// (the host wires Ctrl+C to it) stops sending, waits for the requests in flight and still prints the summary.
    /// The progress bar is rewritten in place only when <paramref name="output"/> is <see cref="Console.Out"/> on a
    /// terminal; any other writer (a redirected stdout, a test's StringWriter) gets plain periodic lines.
    /// </summary>
    /// <returns>0 when every event was accepted, 1 when some were rejected or failed, 2 for bad arguments.</returns>
    public static Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken) =>
        RunAsync(args, output, TimeProvider.System, cancellationToken);

    /// <summary>
    /// <see cref="RunAsync(string[], TextWriter, CancellationToken)"/> on <paramref name="clock"/>: "now" decides the
    /// default day and which events the contract would call "in the future".
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(clock);
        var now = clock.GetUtcNow();
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        if (!ReplayArguments.TryParse(args, output, out var arguments, out var exit))
        {
            return exit;
        }

        var stores = StoreSeed.Generate();
        var culture = CultureInfo.InvariantCulture;

        // The stores are stocked overnight for what they sell; with the live part, the pickup orders go through the orders API.
        OmniDaySimulator DayFrom(DateTimeOffset start) => new(new SimulationOptions(arguments.Seed, arguments.Customers, stores, start)
        {
            StockBeforeSelling = true,
            PickupOrdersThroughApi = arguments.Live,
        });

        // A counting pass first: the progress bar needs the total, and events the server will call "in the future" are
        // better announced than discovered as hundreds of 400s. Generation is deterministic, so the count holds.
        var latestAccepted = now + ContractClockSkew;
        var simulator = DayFrom(arguments.Start ?? today.AddDays(-1));
        var (total, future, last) = Count(simulator, arguments.MaxEvents, latestAccepted, cancellationToken);

        // By default, yesterday: a day that is over lies in the past, as the contract's clock-skew check wants. Its late
        // sessions run a little past midnight, so just after midnight the day before is the last day that is over.
        if (arguments.Start is null && future > 0 && !cancellationToken.IsCancellationRequested)
        {
            await output.WriteLineAsync(string.Create(culture,
                $"Yesterday's late sessions run until {last:HH:mm}Z, after now ({now:HH:mm}Z); replaying the day before, the last day that is over."));
            simulator = DayFrom(today.AddDays(-2));
            (total, future, _) = Count(simulator, arguments.MaxEvents, latestAccepted, cancellationToken);
        }

        var options = new ReplayOptions(arguments.Url)
        {
            BatchSize = arguments.Batch,
            Concurrency = arguments.Concurrency,
            EventsPerSecond = arguments.Rate,
            MaxEvents = arguments.MaxEvents,
            ApiKey = arguments.ApiKey,
        };
        if (cancellationToken.IsCancellationRequested)
        {
            await output.WriteLineAsync("simulate: cancelled before anything was sent.");
            return Success;
        }

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = arguments.Concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(2) };
        using var client = new HttpClient(handler) { Timeout = RequestTimeout };
        var replayer = new TrafficReplayer(client, options);
        await output.WriteLineAsync(string.Create(culture,
            $"Replaying {total:N0} events (seed {arguments.Seed}, {arguments.Customers:N0} customers, {stores.Count} stores, day from {simulator.Start:yyyy-MM-dd HH:mm}Z) to {replayer.Target}"));
        await output.WriteLineAsync(string.Create(culture,
            $"  {(arguments.Batch == 1 ? "1 event per request (structured)" : $"batches of {arguments.Batch}")}, {arguments.Concurrency} in flight, {(arguments.Rate > 0 ? $"{arguments.Rate:0.##} events/s" : "no rate limit")}"));
        if (future > 0)
        {
            await output.WriteLineAsync(string.Create(culture,
                $"warning: {future:N0} of {total:N0} events lie more than {ContractClockSkew.TotalMinutes:0} minutes in the future; the event contract rejects them (and every request that carries one). Replay a day that is over: leave out --start, or give e.g. --start {today.AddDays(-2):yyyy-MM-dd}."));
        }

        var interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var printer = new ReplayProgressPrinter(output, total, interactive);
        var summary = await replayer.ReplayAsync(simulator, printer, cancellationToken);
        printer.Finish();
        await output.WriteLineAsync(summary.ToString());
        if (!arguments.Live || !summary.Succeeded || cancellationToken.IsCancellationRequested)
        {
            return summary.Succeeded ? Success : SomeEventsNotAccepted;
        }

        var live = await new LiveDay(client, simulator, arguments.Url, arguments.ApiKey, output, clock).RunAsync(cancellationToken);
        await output.WriteLineAsync(live.InsightsLines());
        await output.WriteLineAsync(live.ConsoleLines(arguments.Url));
        return live.Succeeded ? Success : SomeEventsNotAccepted;
    }

    private static (long Total, long Future, DateTimeOffset Last) Count(OmniDaySimulator simulator, long? maxEvents, DateTimeOffset latestAccepted, CancellationToken cancellationToken)
    {
        long total = 0;
        long future = 0;
        var last = simulator.Start;
        foreach (var cloudEvent in simulator.Generate())
        {
            if (total == maxEvents || (total % 4_096 == 0 && cancellationToken.IsCancellationRequested))
            {
                break;
            }

            total++;
            var time = CloudEventJson.Time(cloudEvent);
            last = time > last ? time : last;
            if (time > latestAccepted)
            {
                future++;
            }
        }

        return (total, future, last);
    }
}
