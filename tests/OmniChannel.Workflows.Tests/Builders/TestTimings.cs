using OmniChannel.Core.Orders;

namespace OmniChannel.Workflows.Tests.Builders;

/// <summary>Workflow durations for tests: short where a test waits for a timer, long where a timer must not matter.</summary>
public static class TestTimings
{
    /// <summary>No timer fires within a test: a test that completes proves its timers were cancelled, not waited out.</summary>
    public static BopisTimings Patient { get; } = new(
        PickSla: TimeSpan.FromMinutes(1), PickupWindow: TimeSpan.FromMinutes(2), ReminderBeforeExpiry: TimeSpan.FromMinutes(1), UnpickedCancelAfter: TimeSpan.FromMinutes(1),
        RefundRetryInterval: TimeSpan.FromSeconds(1), RefundRetryFor: TimeSpan.FromMinutes(5));

    public static BopisTimings ShortSla { get; } = Patient with { PickSla = TimeSpan.FromSeconds(1) };

    /// <summary>Overdue after 1 s; nobody picks it, so it cancels itself 2 s later.</summary>
    public static BopisTimings Unpicked { get; } = ShortSla with { UnpickedCancelAfter = TimeSpan.FromSeconds(2) };

    /// <summary>Reminder after 2 s, expiry after 3 s.</summary>
    public static BopisTimings ShortWindow { get; } = Patient with { PickupWindow = TimeSpan.FromSeconds(3), ReminderBeforeExpiry = TimeSpan.FromSeconds(1) };
}
