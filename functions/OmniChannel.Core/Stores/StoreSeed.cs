namespace OmniChannel.Core.Stores;

/// <summary>
/// A realistic demo chain for the local host and the tests: stores in real cities across the US time zones, with
/// their real coordinates and opening hours by kind of site. Some stores are small-format and cannot do pickup.
/// </summary>
public static class StoreSeed
{
    private static readonly (string City, string Region, double Latitude, double Longitude, string TimeZone)[] Cities =
    [
        ("New York", "east", 40.7128, -74.0060, "America/New_York"),
        ("Boston", "east", 42.3601, -71.0589, "America/New_York"),
        ("Philadelphia", "east", 39.9526, -75.1652, "America/New_York"),
        ("Washington", "east", 38.9072, -77.0369, "America/New_York"),
        ("Atlanta", "east", 33.7490, -84.3880, "America/New_York"),
        ("Miami", "east", 25.7617, -80.1918, "America/New_York"),
        ("Charlotte", "east", 35.2271, -80.8431, "America/New_York"),
        ("Detroit", "east", 42.3314, -83.0458, "America/Detroit"),
        ("Chicago", "central", 41.8781, -87.6298, "America/Chicago"),
        ("Houston", "central", 29.7604, -95.3698, "America/Chicago"),
        ("Dallas", "central", 32.7767, -96.7970, "America/Chicago"),
        ("Austin", "central", 30.2672, -97.7431, "America/Chicago"),
        ("Minneapolis", "central", 44.9778, -93.2650, "America/Chicago"),
        ("Kansas City", "central", 39.0997, -94.5786, "America/Chicago"),
        ("Denver", "mountain", 39.7392, -104.9903, "America/Denver"),
        ("Salt Lake City", "mountain", 40.7608, -111.8910, "America/Denver"),
        ("Phoenix", "mountain", 33.4484, -112.0740, "America/Phoenix"),
        ("Los Angeles", "west", 34.0522, -118.2437, "America/Los_Angeles"),
        ("San Francisco", "west", 37.7749, -122.4194, "America/Los_Angeles"),
        ("Seattle", "west", 47.6062, -122.3321, "America/Los_Angeles"),
        ("Portland", "west", 45.5152, -122.6784, "America/Los_Angeles"),
        ("San Diego", "west", 32.7157, -117.1611, "America/Los_Angeles"),
        ("Anchorage", "alaska", 61.2181, -149.9003, "America/Anchorage"),
        ("Honolulu", "hawaii", 21.3069, -157.8583, "Pacific/Honolulu"),
    ];

    private static readonly string[] Districts = ["Downtown", "Northside", "Mall", "Riverside", "Airport"];

    private static DayHours Hours(int opens, int closes) => new(new TimeOnly(opens, 0), new TimeOnly(closes, 0));

    /// <summary>Airport stores 06:00–22:00 daily; mall stores 10:00–21:00 (Sunday 11:00–19:00); riverside stores closed on Sundays; the others 09:00–21:00 (Sunday 10:00–18:00).</summary>
    private static OpeningHours HoursOf(string district) => district switch
    {
        "Airport" => OpeningHours.Weekly(Hours(6, 22), Hours(6, 22)),
        "Mall" => OpeningHours.Weekly(Hours(10, 21), Hours(11, 19)),
        "Riverside" => OpeningHours.Weekly(Hours(9, 21), null),
        _ => OpeningHours.Weekly(Hours(9, 21), Hours(10, 18)),
    };

    /// <summary>
    /// <paramref name="count"/> stores, ids <c>0001</c>…: big cities get several stores a few kilometres apart,
    /// so "the nearest store that has it" has real answers.
    /// </summary>
    public static IReadOnlyList<Store> Generate(int count = 60)
    {
        var stores = new List<Store>(count);
        for (var index = 0; index < count; index++)
        {
            var city = Cities[index % Cities.Length];
            var round = index / Cities.Length;
            // Past five stores in a city the district names come round again, numbered: "Chicago Mall 2".
            var district = Districts[round % Districts.Length] + (round < Districts.Length ? string.Empty : " " + ((round / Districts.Length) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));

            // Spread a city's stores on a small ring (~3-5 km) around its centre.
            var angle = round * 2.1;
            var offset = round == 0 ? 0 : 0.03 + 0.01 * round;
            stores.Add(new Store(
                Id: (index + 1).ToString("D4", System.Globalization.CultureInfo.InvariantCulture),
                Name: $"{city.City} {district}",
                City: city.City,
                Region: city.Region,
                Latitude: Math.Round(city.Latitude + offset * Math.Sin(angle), 5),
                Longitude: Math.Round(city.Longitude + offset * Math.Cos(angle), 5),
                TimeZone: city.TimeZone,
                BopisEnabled: index % 7 != 6) { OpeningHours = HoursOf(Districts[round % Districts.Length]) });
        }

        return stores;
    }
}
