using OmniChannel.Core.Orders;

namespace OmniChannel.Local.Hosting;

/// <summary>
/// Runs the <see cref="ReservationSweeper"/> at start and then every <c>OmniChannel:Bopis:SweepInterval</c> (default 15
/// minutes), as the Functions app's timer does in Azure. A failed sweep is logged and the next one tries again.
/// </summary>
public sealed partial class ReservationSweepService(ReservationSweeper sweeper, IConfiguration configuration, ILogger<ReservationSweepService> logger) : BackgroundService
{
    public const string IntervalKey = "OmniChannel:Bopis:SweepInterval";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(configuration.GetValue<TimeSpan?>(IntervalKey) ?? TimeSpan.FromMinutes(15));
        try
        {
            do
            {
                try
                {
                    var report = await sweeper.SweepAsync(stoppingToken);
                    if (report.OrdersReleased > 0)
                    {
                        LogSwept(logger, report.OrdersReleased, report.HeldItems, report.Stores);
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogSweepFailed(logger, exception);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Released the stranded holds of {Orders} orders ({HeldItems} held items at {Stores} stores looked at)")]
    private static partial void LogSwept(ILogger logger, int orders, int heldItems, int stores);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sweeping stranded reservations failed; the next sweep tries again")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
