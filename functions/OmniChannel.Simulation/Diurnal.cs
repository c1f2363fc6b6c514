namespace OmniChannel.Simulation;

/// <summary>
/// When in the day things happen, by hour after the start (which is best set to local midnight): online traffic is
/// low at night, rises through the morning and peaks in the evening; store visits fall in opening hours (09–21),
/// busiest at lunch and after work; stock deliveries arrive early, counts and corrections through the day.
/// </summary>
internal static class Diurnal
{
    private static readonly double[] OnlineHours =
        [1.0, 0.6, 0.4, 0.3, 0.3, 0.5, 1.0, 1.8, 2.6, 3.0, 3.4, 3.8, 4.4, 4.2, 3.8, 3.6, 3.9, 4.4, 5.2, 6.2, 6.6, 5.8, 4.0, 2.2];

    private static readonly double[] StoreHours =
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 1.5, 2.5, 3.5, 5.0, 4.5, 3.5, 3.5, 4.5, 5.5, 5.5, 4.5, 3.0, 1.5, 0, 0];

    private static readonly double[] DeliveryHours =
        [0, 0, 0, 0, 0, 1, 3, 4, 3, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    private static readonly double[] BackOfficeHours =
        [0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 3, 3, 2, 2, 3, 3, 3, 2, 2, 2, 1, 1, 0, 0];

    public static TimeSpan Online(Random random) => Draw(random, OnlineHours);

    public static TimeSpan InStore(Random random) => Draw(random, StoreHours);

    public static TimeSpan Delivery(Random random) => Draw(random, DeliveryHours);

    public static TimeSpan BackOffice(Random random) => Draw(random, BackOfficeHours);

    private static TimeSpan Draw(Random random, double[] hours) =>
        TimeSpan.FromHours(random.Weighted(hours)) + TimeSpan.FromSeconds(random.Next(3_600));
}
