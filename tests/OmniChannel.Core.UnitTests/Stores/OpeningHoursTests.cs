using System.Text.Json;
using OmniChannel.Core.Stores;

namespace OmniChannel.Core.UnitTests.Stores;

public sealed class OpeningHoursTests
{
    private const string NewYork = "America/New_York";
    private const string Honolulu = "Pacific/Honolulu";

    // Mon–Sat 09:00–21:00, Sunday closed.
    private static readonly OpeningHours Shop = OpeningHours.Weekly(Hours(9, 0, 21, 0), null);

    private static DayHours Hours(int opensHour, int opensMinute, int closesHour, int closesMinute) =>
        new(new TimeOnly(opensHour, opensMinute), new TimeOnly(closesHour, closesMinute));

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    public static TheoryData<string, DateTimeOffset, string, bool> Moments => new()
    {
        // Wednesday 2026-11-25: New York is UTC-5 (EST), Honolulu UTC-10.
        { "09:00 in New York, the opening", Utc(11, 25, 14), NewYork, true },
        { "08:59 in New York", Utc(11, 25, 13, 59), NewYork, false },
        { "20:59 in New York", Utc(11, 26, 1, 59), NewYork, true },
        { "21:00 in New York, the closing", Utc(11, 26, 2), NewYork, false },
        { "same instant, 16:00 in Honolulu", Utc(11, 26, 2), Honolulu, true },
        { "Sunday noon in New York", Utc(11, 29, 17), NewYork, false },
        // Summer (EDT, UTC-4): 13:30 UTC is 09:30 in New York; in winter it would be 08:30.
        { "09:30 EDT in July", Utc(7, 15, 13, 30), NewYork, true },
        { "08:30 EST in November", Utc(11, 25, 13, 30), NewYork, false },
        { "unknown zone counts as UTC", Utc(11, 25, 9, 30), "Mars/Olympus_Mons", true },
    };

    [Theory]
    [MemberData(nameof(Moments))]
    public void IsOpenAt_OnTheStoresClock(string situation, DateTimeOffset at, string zone, bool open) =>
        Assert.True(Shop.IsOpenAt(at, zone) == open, situation);

    [Fact]
    public void IsOpenAt_HoursPastMidnight_AreOpenEarlyNextMorningAndFollowTheDayTheyBegan()
    {
        // Friday 18:00–02:00 only.
        var late = new OpeningHours(null, null, null, null, Hours(18, 0, 2, 0), null, null);

        Assert.True(late.IsOpenAt(Utc(11, 28, 6, 30), NewYork));  // Saturday 01:30
        Assert.False(late.IsOpenAt(Utc(11, 28, 7, 30), NewYork)); // Saturday 02:30
        Assert.False(late.IsOpenAt(Utc(11, 27, 6, 30), NewYork)); // Friday 01:30: Thursday was closed
    }

    [Fact]
    public void IsOpenAt_EqualTimes_AreOpenAroundTheClock()
    {
        var always = OpeningHours.Weekly(Hours(0, 0, 0, 0), Hours(0, 0, 0, 0));

        Assert.True(always.IsOpenAt(Utc(11, 25, 5, 0), NewYork));
        Assert.True(always.IsOpenAt(Utc(11, 29, 4, 59), NewYork));
    }

    [Fact]
    public void NextOpeningAfter_SaturdayNightBeforeAClosedSunday_IsMondayMorning()
    {
        // Saturday 2026-11-28 22:00 in New York.
        var next = Shop.NextOpeningAfter(Utc(11, 29, 3), NewYork);

        Assert.Equal(Utc(11, 30, 14), next); // Monday 09:00 EST
    }

    [Fact]
    public void NextOpeningAfter_BeforeTodaysOpening_IsTodayAcrossADstChange()
    {
        // Monday 2026-03-09, the day after clocks went forward: 09:00 EDT is 13:00 UTC, not 14:00.
        Assert.Equal(Utc(3, 9, 13), Shop.NextOpeningAfter(Utc(3, 9, 10), NewYork));
        Assert.Equal(Utc(11, 25, 19), Shop.NextOpeningAfter(Utc(11, 25, 12), Honolulu));
    }

    [Fact]
    public void NextOpeningAfter_NeverOpen_IsNull() =>
        Assert.Null(new OpeningHours(null, null, null, null, null, null, null).NextOpeningAfter(Utc(11, 25, 12), NewYork));

    [Fact]
    public void Json_DaysAreCamelCaseWithHourMinuteTimes_AndAClosedDayIsAnExplicitNull()
    {
        var json = JsonSerializer.Serialize(Shop, new JsonSerializerOptions(JsonSerializerOptions.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull });

        Assert.Contains("\"monday\":{\"opens\":\"09:00\",\"closes\":\"21:00\"}", json, StringComparison.Ordinal);
        Assert.Contains("\"sunday\":null", json, StringComparison.Ordinal);
        Assert.Equal(Shop, JsonSerializer.Deserialize<OpeningHours>(json, JsonSerializerOptions.Web));
    }

    [Fact]
    public void StoreSeed_GivesEveryStoreHours_AirportsEarlyAndMallsLater()
    {
        var stores = StoreSeed.Generate(120);

        Assert.All(stores, store => Assert.NotNull(store.OpeningHours));
        Assert.Equal(new TimeOnly(6, 0), stores.First(store => store.Name.EndsWith("Airport", StringComparison.Ordinal)).OpeningHours!.Monday!.Opens);
        Assert.Equal(new TimeOnly(10, 0), stores.First(store => store.Name.EndsWith("Mall", StringComparison.Ordinal)).OpeningHours!.Monday!.Opens);
        Assert.Equal(new TimeOnly(9, 0), stores[0].OpeningHours!.Monday!.Opens);
    }
}
