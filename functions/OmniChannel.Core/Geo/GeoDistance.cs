namespace OmniChannel.Core.Geo;

/// <summary>Great-circle distance on a spherical Earth: accurate to well under 1 % at store-finding distances.</summary>
public static class GeoDistance
{
    private const double EarthRadiusMeters = 6_371_008.8;

    public static double Meters(double latitude1, double longitude1, double latitude2, double longitude2)
    {
        var phi1 = double.DegreesToRadians(latitude1);
        var phi2 = double.DegreesToRadians(latitude2);
        var deltaPhi = double.DegreesToRadians(latitude2 - latitude1);
        var deltaLambda = double.DegreesToRadians(longitude2 - longitude1);
        var a = Math.Sin(deltaPhi / 2) * Math.Sin(deltaPhi / 2)
                + Math.Cos(phi1) * Math.Cos(phi2) * Math.Sin(deltaLambda / 2) * Math.Sin(deltaLambda / 2);
        return 2 * EarthRadiusMeters * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }
}
