using System.Globalization;

namespace OmniChannel.Azure.Cosmos;

/// <summary>Times as strings that sort like the times (fixed-width UTC), for keyset queries and ORDER BY.</summary>
internal static class CosmosSortKeys
{
    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The time, then <paramref name="key"/>, so equal times stay distinct and in a stable order.</summary>
    public static string TimeThen(DateTimeOffset time, string key) => Time(time) + "|" + key;
}
