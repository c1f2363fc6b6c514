using System.Collections.Concurrent;

namespace OmniChannel.Core.Stores;

/// <summary>A store's clock: IANA time zones looked up once (an unknown or missing id counts as UTC).</summary>
public static class StoreClock
{
    private static readonly ConcurrentDictionary<string, TimeZoneInfo> Zones = new(StringComparer.Ordinal);

    public static TimeZoneInfo Zone(string? timeZoneId) =>
        timeZoneId is null ? TimeZoneInfo.Utc : Zones.GetOrAdd(timeZoneId, id => TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc);

    /// <summary>The wall-clock date and time the zone shows at <paramref name="utc"/>.</summary>
    public static DateTime Local(DateTimeOffset utc, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(utc, zone).DateTime;

    /// <summary>The instant the zone's clock shows <paramref name="local"/>; a time skipped by a DST jump counts at the standard offset (just after the jump).</summary>
    public static DateTimeOffset Instant(DateTime local, TimeZoneInfo zone) =>
        new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone.GetUtcOffset(local)).ToUniversalTime();
}
