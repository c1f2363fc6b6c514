using OmniChannel.Core.Insights;

namespace OmniChannel.Core.Ports;

/// <summary>Reads the daily KPI counters.</summary>
public interface IInsightsReader
{
    /// <summary>Every counter of the UTC days <paramref name="from"/> to <paramref name="to"/>, both inclusive, in no particular order.</summary>
    Task<IReadOnlyList<DailyCounter>> ReadAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken);
}
