using System.Globalization;

namespace OmniChannel.Simulation.Bopis;

/// <summary>
/// The <c>simulate-bopis</c> sub-command: a load run of the pickup workflow (<see cref="BopisLoadRun"/>) against any
/// base URL, with a progress line every couple of seconds and a summary at the end.
/// </summary>
public static class BopisLoadCommand
{
    /// <summary>Exit code: every order ended as planned and the stock and refunds reconcile (or the help was shown).</summary>
    public const int Success = 0;

    /// <summary>Exit code: some orders did not end as planned, or the store could not be stocked.</summary>
    public const int SomeOrdersFailed = 1;

    /// <summary>Exit code: the command line is wrong; nothing was sent.</summary>
    public const int BadArguments = 2;

    /// <summary>Exit code: every order ended as planned, but the stock or the refunds do not reconcile.</summary>
    public const int NotReconciled = 3;

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The command line of <c>simulate-bopis</c>: its description and options, as <c>--help</c> prints them.</summary>
    public static System.CommandLine.Command Command() => BopisLoadArguments.Command();

    /// <summary>
    /// Runs <c>simulate-bopis</c> with the arguments after the sub-command name. Cancelling
    /// <paramref name="cancellationToken"/> (the host wires Ctrl+C to it) stops placing orders, gives up the ones in
    /// flight and still prints the summary.
    /// </summary>
    /// <returns>0 when everything ended as planned and reconciles, 1 when some orders did not end as planned, 2 for bad arguments, 3 when the books do not reconcile.</returns>
    public static Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken) =>
        RunAsync(args, output, options => options, cancellationToken);

    /// <summary>As <see cref="RunAsync(string[], TextWriter, CancellationToken)"/>, with the run's options adjusted (tests shorten the waits).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, Func<BopisLoadOptions, BopisLoadOptions> adjust, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(adjust);
        if (!BopisLoadArguments.TryParse(args, output, out var arguments, out var exit))
        {
            return exit;
        }

        var options = adjust(new BopisLoadOptions(arguments.Url)
        {
            Orders = arguments.Orders,
            Concurrency = arguments.Concurrency,
            StoreId = arguments.Store,
            PollInterval = TimeSpan.FromMilliseconds(arguments.PollMilliseconds),
            ApiKey = arguments.ApiKey,
            UnpickedPercent = arguments.UnpickedPercent,
            ShortPercent = arguments.ShortPercent,
            NoShowPercent = arguments.NoShowPercent,
            OrderTimeout = TimeSpan.FromSeconds(arguments.OrderTimeoutSeconds),
            ShortUnitsLeaveOnHand = arguments.ShortUnitsLeaveOnHand,
            CheckRefunds = arguments.CheckRefunds,
        });

        // Each order has one request on the wire at a time; a few more connections serve the stock reads.
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency + 4, PooledConnectionLifetime = TimeSpan.FromMinutes(2) };
        using var client = new HttpClient(handler) { Timeout = RequestTimeout };
        var run = new BopisLoadRun(client, options);
        var writer = TextWriter.Synchronized(output);
        var culture = CultureInfo.InvariantCulture;
        await writer.WriteLineAsync(string.Create(culture,
            $"BOPIS load run {run.RunTag}: stocking store {options.StoreId} with {run.UnitsOrdered:N0} x {run.Sku}, then {options.Orders:N0} pickup orders ({Mix(run, options.Orders)}), {options.Concurrency:N0} in flight, polled every {options.PollInterval.TotalMilliseconds:0} ms, each within {options.OrderTimeout.TotalSeconds:0} s, against {options.BaseUrl}"));
        var printer = new ProgressPrinter(writer, options.Orders, TerminalProgress.IsInteractive(output));
        BopisLoadSummary summary;
        try
        {
            summary = await run.RunAsync(printer, cancellationToken);
        }
        finally
        {
            printer.Finish();
        }

        await writer.WriteLineAsync(summary.ToString());
        return summary.Succeeded ? Success : summary.AllEndedAsPlanned ? NotReconciled : SomeOrdersFailed;
    }

    private static string Mix(BopisLoadRun run, int orders)
    {
        var outcomes = Enumerable.Range(1, orders).Select(run.OutcomeOf).ToList();
        return string.Join(", ", Enum.GetValues<BopisOutcome>()
            .Select(outcome => (outcome, Count: outcomes.Count(planned => planned == outcome)))
            .Where(share => share.Count > 0)
            .Select(share => string.Create(CultureInfo.InvariantCulture, $"{share.Count:N0} {BopisExpectations.Name(share.outcome)}")));
    }

    /// <summary>
    /// A Spectre.Console progress bar of the orders that ended on an interactive terminal; elsewhere (a redirected
    /// output, a test's writer) one plain line per report, readable in a log.
    /// </summary>
    private sealed class ProgressPrinter(TextWriter output, int orders, bool interactive) : IProgress<BopisLoadProgress>
    {
        private readonly TerminalProgress? _bar = interactive ? new TerminalProgress(string.Create(CultureInfo.InvariantCulture, $"{orders:N0} orders"), orders) : null;

        public void Report(BopisLoadProgress value)
        {
            ArgumentNullException.ThrowIfNull(value);
            if (_bar is not null)
            {
                _bar.Update(value.Completed + value.Failed, string.Create(CultureInfo.InvariantCulture,
                    $"placed {value.Placed:N0}  ready {value.Ready:N0}  ended as planned {value.Completed:N0}  failed {value.Failed:N0}"));
                return;
            }

            output.WriteLine(value.ToLogLine());
        }

        public void Finish() => _bar?.Finish();
    }
}
