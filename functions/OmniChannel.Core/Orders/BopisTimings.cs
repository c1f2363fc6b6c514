namespace OmniChannel.Core.Orders;

/// <summary>The durations one order's workflow runs with (copied from <see cref="BopisOptions"/> when it starts).</summary>
/// <param name="UnpickedCancelAfter">
/// How long after the pick deadline an order nobody picked cancels itself. Null only in the input of an instance started
/// before this setting existed: that instance keeps waiting for the store or the customer, as it was started to (a
/// timer added to its history would break its replay).
/// </param>
public sealed record BopisTimings(TimeSpan PickSla, TimeSpan PickupWindow, TimeSpan ReminderBeforeExpiry, TimeSpan? UnpickedCancelAfter = null)
{
    public static BopisTimings From(BopisOptions options) =>
        new(options.PickSla, options.PickupWindow, options.ReminderBeforeExpiry, options.UnpickedCancelAfter);
}
