using System.Text.Json.Serialization;

namespace OmniChannel.Core.Stores;

/// <summary>
/// One day's opening on the store's clock. <see cref="Closes"/> before <see cref="Opens"/> runs past midnight into the
/// next day (18:00–02:00; 06:00–00:00 closes at midnight); equal times are open around the clock.
/// </summary>
public sealed record DayHours(
    [property: JsonConverter(typeof(ClockTimeConverter))] TimeOnly Opens,
    [property: JsonConverter(typeof(ClockTimeConverter))] TimeOnly Closes)
{
    /// <summary>How long the day's opening lasts: up to 24 hours.</summary>
    [JsonIgnore]
    public TimeSpan Length => Closes > Opens ? Closes - Opens : TimeSpan.FromDays(1) - (Opens - Closes);
}

/// <summary>A store's weekly opening hours on its own clock; a null day is closed all day.</summary>
public sealed record OpeningHours(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DayHours? Monday,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DayHours? Tuesday,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DayHours? Wednesday,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DayHours? Thursday,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DayHours? Friday,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DayHours? Saturday,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DayHours? Sunday)
{
    /// <summary>The same hours Monday to Saturday, and <paramref name="sunday"/>'s on Sunday.</summary>
    public static OpeningHours Weekly(DayHours? mondayToSaturday, DayHours? sunday) =>
        new(mondayToSaturday, mondayToSaturday, mondayToSaturday, mondayToSaturday, mondayToSaturday, mondayToSaturday, sunday);

    public DayHours? On(DayOfWeek day) => day switch
    {
        DayOfWeek.Monday => Monday,
        DayOfWeek.Tuesday => Tuesday,
        DayOfWeek.Wednesday => Wednesday,
        DayOfWeek.Thursday => Thursday,
        DayOfWeek.Friday => Friday,
        DayOfWeek.Saturday => Saturday,
        _ => Sunday,
    };

    /// <summary>Whether the store is open at <paramref name="utc"/>, on the clock of <paramref name="timeZone"/>: today's hours, or yesterday's running past midnight.</summary>
    public bool IsOpenAt(DateTimeOffset utc, string? timeZone)
    {
        var local = StoreClock.Local(utc, StoreClock.Zone(timeZone));
        return OpenOn(local.Date, local) || OpenOn(local.Date.AddDays(-1), local);
    }

    /// <summary>The next instant after <paramref name="utc"/> when one of the days' hours begins (UTC); null when the store opens on no day.</summary>
    public DateTimeOffset? NextOpeningAfter(DateTimeOffset utc, string? timeZone)
    {
        var zone = StoreClock.Zone(timeZone);
        var today = StoreClock.Local(utc, zone).Date;
        for (var day = today; day <= today.AddDays(7); day = day.AddDays(1))
        {
            if (On(day.DayOfWeek) is { } hours && StoreClock.Instant(day + hours.Opens.ToTimeSpan(), zone) is var opens && opens > utc)
            {
                return opens;
            }
        }

        return null;
    }

    private bool OpenOn(DateTime date, DateTime local) =>
        On(date.DayOfWeek) is { } hours && date + hours.Opens.ToTimeSpan() is var opens && local >= opens && local < opens + hours.Length;
}
