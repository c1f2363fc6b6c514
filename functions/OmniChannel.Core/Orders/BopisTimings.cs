namespace OmniChannel.Core.Orders;

/// <summary>The durations one order's workflow runs with (copied from <see cref="BopisOptions"/> when it starts).</summary>
/// <param name="UnpickedCancelAfter">
/// How long after the pick deadline an order nobody picked cancels itself. Null only in the input of an instance started
/// before this setting existed: that instance keeps waiting for the store or the customer, as it was started to (a
/// timer added to its history would break its replay).
/// </param>
/// <param name="RefundRetryInterval">How long the workflow waits before asking the payment provider again for a refund it refused for now.</param>
/// <param name="RefundRetryFor">How long it keeps asking. Both null in an instance started before these settings existed: that instance fails on a refund the provider refuses, as it was started to.</param>
/// <param name="RefundConfirmWithin">
/// How long the workflow waits for the payment service's confirmation of a refund it accepted before asking again. Null
/// in an instance started before this setting existed: it takes an accepted refund as done, as it was started to.
/// </param>
public sealed record BopisTimings(
    TimeSpan PickSla,
    TimeSpan PickupWindow,
    TimeSpan ReminderBeforeExpiry,
    TimeSpan? UnpickedCancelAfter = null,
    TimeSpan? RefundRetryInterval = null,
    TimeSpan? RefundRetryFor = null,
    TimeSpan? RefundConfirmWithin = null)
{
    public static BopisTimings From(BopisOptions options) =>
        new(options.PickSla, options.PickupWindow, options.ReminderBeforeExpiry, options.UnpickedCancelAfter, options.RefundRetryInterval, options.RefundRetryFor, options.RefundConfirmWithin);
}
