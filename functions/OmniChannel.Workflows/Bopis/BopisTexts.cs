using System.Globalization;
using OmniChannel.Core.Orders;

namespace OmniChannel.Workflows.Bopis;

/// <summary>The words of the workflow: order reasons, custom status and messages, in one place and culture-invariant.</summary>
internal static class BopisTexts
{
    public const string Reserving = "Reserving stock at the store.";
    public const string AwaitingPick = "Stock is held; waiting for the store to pick the order.";
    public const string Overdue = "Past the pick deadline; the store was alerted and is still picking.";
    public const string AwaitingCollection = "Picked and waiting at the store; the customer was told.";
    public const string Reminded = "Waiting at the store; the customer was reminded.";
    public const string Arrived = "The customer is at the store to collect the order; the store was told.";
    public const string Collected = "Collected by the customer.";
    public const string Cancelled = "Cancelled; the stock was released and the payment refunded.";
    public const string PickedShort = "Picked with some items short; refunding them.";
    public const string NothingPicked = "Cancelled: the store found none of the order's items; the stock was released and the payment refunded.";
    public const string Failed = "We could not process the order, so it was cancelled; the stock was released and the payment refunded.";

    public static string Expired(DateTimeOffset collectBy, string? timeZone) =>
        Invariant($"Not collected by {StoreTime(collectBy, timeZone)}; the stock was released and the payment refunded.");

    public static string NotPicked(DateTimeOffset pickDueAt, string? timeZone) =>
        Invariant($"Cancelled: the store did not pick the order (it was due by {StoreTime(pickDueAt, timeZone)}); the stock was released and the payment refunded.");

    public static string Rejected(IReadOnlyList<StockShortage> shortages) =>
        "The store cannot hold every item: " + Shortages(shortages) + ".";

    public static string CancelledBecause(string? reason) =>
        string.IsNullOrWhiteSpace(reason) ? Cancelled : Invariant($"Cancelled ({reason.Trim()}); the stock was released and the payment refunded.");

    public static string PickTask(string orderId, DateTimeOffset pickDueAt, string? timeZone) =>
        Invariant($"New pickup order {orderId}: please pick it by {StoreTime(pickDueAt, timeZone)}.");

    public static string PickOverdue(string orderId, DateTimeOffset pickDueAt, string? timeZone) =>
        Invariant($"Pickup order {orderId} is overdue (it was due by {StoreTime(pickDueAt, timeZone)}); please pick it now.");

    public static string CustomerArrived(string orderId) =>
        Invariant($"The customer for pickup order {orderId} has arrived: please bring the order to the pickup counter.");

    /// <summary>The order's reason while its refund waits for the payment provider.</summary>
    public static string RefundPending(string reason) => $"{reason} Refund pending: the payment provider is not answering; it is asked again.";

    /// <summary>The order's reason while the payment service has accepted the refund and not yet confirmed it.</summary>
    public static string RefundAwaitingConfirmation(string reason) => $"{reason} Refund pending: waiting for the payment service to confirm it.";

    /// <summary>The order's reason after the confirmation did not come in time and the refund was asked for again.</summary>
    public static string RefundAskedAgain(string reason) => $"{reason} Refund pending: the payment service has not confirmed it yet; it was asked again.";

    public const string RefundUnconfirmed = "the payment service never confirmed it";

    public static string RefundRefused(string? why) =>
        string.IsNullOrWhiteSpace(why) ? "the payment service refused it" : $"the payment service refused it ({why.Trim()})";

    /// <summary>The order's final reason when the refund failed or was never confirmed: ops must act.</summary>
    public static string RefundNeedsAttention(string reason, string why) => $"{reason} Refund failed — needs attention: {why}.";

    public static string CustomerRefundDelayed(string orderId, decimal amount) =>
        Invariant($"Your order {orderId} was cancelled. Your refund of {amount:0.00} is delayed; our team is on it and will contact you.");

    public static string PutBack(string orderId) =>
        Invariant($"Pickup order {orderId} will not be collected: please put its items back on the shelf.");

    public static string Ready(string orderId, DateTimeOffset collectBy, string? timeZone) =>
        Invariant($"Your order {orderId} is ready to collect at the store until {StoreTime(collectBy, timeZone)}.");

    public static string Reminder(string orderId, DateTimeOffset collectBy, string? timeZone) =>
        Invariant($"Reminder: your order {orderId} is waiting for you at the store until {StoreTime(collectBy, timeZone)}.");

    public static string CustomerExpired(string orderId, DateTimeOffset collectBy, decimal amount, string? timeZone) =>
        Invariant($"Your order {orderId} was not collected by {StoreTime(collectBy, timeZone)}, so the store put it back; we refunded {amount:0.00}.");

    public static string CustomerCancelled(string orderId, decimal amount) =>
        Invariant($"Your order {orderId} was cancelled; we refunded {amount:0.00}.");

    public static string CustomerNotPicked(string orderId, decimal amount) =>
        Invariant($"Sorry, the store could not get your order {orderId} ready in time, so we cancelled it; we refunded {amount:0.00}.");

    /// <summary>The customer's "short" message: what is missing, what stands in for what, and the partial refund.</summary>
    public static string CustomerShort(string orderId, IReadOnlyList<OrderLinePick> lines, decimal refunded)
    {
        var changes = lines
            .Where(line => line.Short > 0 || line.Substituted > 0)
            .Select(line => string.Join(", ", new[]
                {
                    line.Short > 0 ? Invariant($"{line.Short} of {line.Ordered} × {line.Sku} missing") : null,
                    line.Substituted > 0 ? Invariant($"{line.Substituted} × {line.Sku} replaced by {line.SubstituteSku} at the same price") : null,
                }.OfType<string>()));
        var refund = refunded > 0 ? Invariant($" We refunded {refunded:0.00} for the missing items.") : string.Empty;
        return Invariant($"Sorry, the store could not find everything for your order {orderId}: {string.Join("; ", changes)}.{refund}");
    }

    public static string CustomerNothingPicked(string orderId, decimal amount) =>
        Invariant($"Sorry, the store could not find any of the items of your order {orderId}, so we cancelled it; we refunded {amount:0.00}.");

    public static string Unavailable(string orderId, IReadOnlyList<StockShortage> shortages) =>
        Invariant($"Sorry, the store cannot hold your order {orderId} ({Shortages(shortages)}). Nothing was reserved; you can order it at another store.");

    private static string Shortages(IReadOnlyList<StockShortage> shortages) =>
        shortages.Count == 0
            ? "stock ran out"
            : string.Join("; ", shortages.Select(shortage => Invariant($"{shortage.Sku}: {shortage.Requested} wanted, {shortage.Available} available")));

    /// <summary>
    /// A moment as the store's clock shows it, with the zone named (<c>2026-11-25 14:30 America/New_York</c>): an
    /// associate or a customer reads it without converting. UTC when the zone is unknown. Deterministic for a given
    /// time-zone database, so safe in the orchestrator.
    /// </summary>
    public static string StoreTime(DateTimeOffset moment, string? timeZone)
    {
        if (timeZone is not null && TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone))
        {
            return Invariant($"{TimeZoneInfo.ConvertTime(moment, zone):yyyy-MM-dd HH:mm} {timeZone}");
        }

        return Invariant($"{moment.UtcDateTime:yyyy-MM-dd HH:mm} UTC");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
