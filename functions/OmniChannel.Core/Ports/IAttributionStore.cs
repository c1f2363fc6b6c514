using OmniChannel.Core.Remarketing;

namespace OmniChannel.Core.Ports;

/// <summary>
/// Holdout attribution: per rule, each customer's current window and the daily group totals, changed together, so a
/// window counts once and a sale counts once however often a step or an event is repeated.
/// </summary>
public interface IAttributionStore
{
    /// <summary>
    /// Opens the customer's window for the rule unless their current one covers its start (then nothing changes: one
    /// window per customer, rule and window start). True when a new window was opened and counted.
    /// </summary>
    Task<bool> OpenAsync(AttributionWindow window, CancellationToken cancellationToken);

    /// <summary>
    /// Adds the sale to the customer's window for the rule when the window covers its time (a sale that redeemed the
    /// rule's coupon counts from the window's start on, however late), unless it was added before; answers the window
    /// that holds the sale (now or from before, so a redelivered sale can finish what its first delivery started), or null.
    /// </summary>
    Task<AttributionWindow?> AttributeAsync(string ruleId, string customerId, SaleForAttribution sale, CancellationToken cancellationToken);

    /// <summary>Deletes the customer's windows of every rule (the day totals hold nobody and stay); answers how many.</summary>
    Task<int> EraseCustomerAsync(string customerId, CancellationToken cancellationToken);

    /// <summary>The rules' totals for windows that started from <paramref name="from"/> to <paramref name="to"/> (UTC days, both inclusive).</summary>
    Task<IReadOnlyList<AttributionTotals>> ReadTotalsAsync(IReadOnlyCollection<string> ruleIds, DateOnly from, DateOnly to, CancellationToken cancellationToken);
}
