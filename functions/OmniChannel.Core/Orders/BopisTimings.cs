namespace OmniChannel.Core.Orders;

/// <summary>The durations one order's workflow runs with (copied from <see cref="BopisOptions"/> when it starts).</summary>
public sealed record BopisTimings(TimeSpan PickSla, TimeSpan PickupWindow, TimeSpan ReminderBeforeExpiry)
{
    public static BopisTimings From(BopisOptions options) => new(options.PickSla, options.PickupWindow, options.ReminderBeforeExpiry);
}
