using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using OmniChannel.Core.Orders;

namespace OmniChannel.Functions.Timers;

/// <summary>Lets go of stranded pickup holds every 15 minutes (<see cref="ReservationSweeper"/>); the local host runs the same sweep as a background service.</summary>
public sealed partial class ReservationSweepFunctions(ReservationSweeper sweeper, ILogger<ReservationSweepFunctions> logger)
{
    [Function(nameof(SweepReservations))]
    public async Task SweepReservations([TimerTrigger("0 */15 * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient durableClient, CancellationToken cancellationToken)
    {
        var report = await sweeper.SweepAsync(cancellationToken);
        if (report.OrdersReleased > 0)
        {
            LogSwept(logger, report.OrdersReleased, report.HeldItems, report.Stores);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Released the stranded holds of {Orders} orders ({HeldItems} held items at {Stores} stores looked at)")]
    private static partial void LogSwept(ILogger logger, int orders, int heldItems, int stores);
}
